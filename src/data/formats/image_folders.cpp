// Folder scanning and the multi-threaded decode loop behind `bgm prepare`.
#include "data/formats/image_folders.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "data/formats/image_decode.h"

namespace bgm {
namespace fs = std::filesystem;

namespace {

bool has_image_extension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".png" || ext == ".jpg" || ext == ".jpeg";
}

void require_folder(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir + ": missing folder");
}

}  // namespace

std::vector<std::string> list_image_files(const std::string& dir) {
  require_folder(dir);
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_regular_file() && has_image_extension(entry.path())) files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

std::vector<std::string> list_subfolders(const std::string& dir) {
  require_folder(dir);
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

RawSplit decode_into_split(const std::vector<LabeledFile>& files, const DecodeOptions& options) {
  RawSplit split;
  split.count = static_cast<int64_t>(files.size());
  split.channels = 3;
  split.height = options.height;
  split.width = options.width;
  const size_t image_bytes = static_cast<size_t>(3 * options.height * options.width);
  split.pixels.resize(files.size() * image_bytes);
  split.labels.resize(files.size());

  int threads = options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, std::min<int>(threads, static_cast<int>(files.size())));
  std::atomic<size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::mutex report_mutex;
  std::string first_error;
  const size_t progress_step = std::max<size_t>(1000, files.size() / 20);

  // Each file has its own output slot, so the result is identical for any thread count.
  auto worker = [&]() {
    for (size_t i = next++; i < files.size() && !failed; i = next++) {
      try {
        const RgbImage image = decode_image_file(files[i].path, options.require_exact_size ? 0 : 2 * options.height);
        if (options.require_exact_size && (image.height != options.height || image.width != options.width))
          throw Error(files[i].path + ": image is " + std::to_string(image.width) + "x" + std::to_string(image.height) +
                      ", expected " + std::to_string(options.width) + "x" + std::to_string(options.height));
        const std::vector<uint8_t> chw = resize_area_to_chw(image, options.height, options.width);
        std::copy(chw.begin(), chw.end(), split.pixels.begin() + i * image_bytes);
        split.labels[i] = files[i].label;
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(report_mutex);
        if (!failed.exchange(true)) first_error = e.what();
        return;
      }
      const size_t finished = ++done;
      if (!options.progress_label.empty() && (finished % progress_step == 0 || finished == files.size())) {
        std::lock_guard<std::mutex> lock(report_mutex);
        std::cerr << "bgm prepare: " << options.progress_label << " " << finished << "/" << files.size() << " images\n";
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (failed) throw Error(first_error);
  return split;
}

void channel_mean_std(const RawSplit& split, std::vector<float>& mean, std::vector<float>& std_dev) {
  const int64_t plane = split.height * split.width;
  // Exact integer sums: 2^64 / 255^2 pixels per channel is far beyond any dataset.
  std::vector<uint64_t> sum(split.channels, 0), sum_squares(split.channels, 0);
  for (int64_t n = 0; n < split.count; ++n)
    for (int64_t c = 0; c < split.channels; ++c) {
      const uint8_t* p = split.pixels.data() + (n * split.channels + c) * plane;
      uint64_t s = 0, q = 0;
      for (int64_t i = 0; i < plane; ++i) {
        s += p[i];
        q += static_cast<uint64_t>(p[i]) * p[i];
      }
      sum[c] += s;
      sum_squares[c] += q;
    }
  mean.assign(split.channels, 0.0f);
  std_dev.assign(split.channels, 0.0f);
  const double values = static_cast<double>(split.count) * plane;
  if (values == 0) return;
  for (int64_t c = 0; c < split.channels; ++c) {
    const double m = sum[c] / values / 255.0;
    const double second_moment = sum_squares[c] / values / (255.0 * 255.0);
    mean[c] = static_cast<float>(m);
    std_dev[c] = static_cast<float>(std::sqrt(std::max(0.0, second_moment - m * m)));
  }
}

}  // namespace bgm
