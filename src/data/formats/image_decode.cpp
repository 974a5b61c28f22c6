// libpng (simplified API) and libjpeg decoding into RgbImage, and the separable area-averaging resize.
#include "data/formats/image_decode.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <cstring>

#include "core/atomic_file.h"
#include "core/error.h"

#ifdef BGM_HAVE_JPEG
#include <jpeglib.h>
#endif

namespace bgm {
namespace {

RgbImage decode_png(const std::string& path, const std::string& bytes) {
  png_image image;
  std::memset(&image, 0, sizeof image);
  image.version = PNG_IMAGE_VERSION;
  if (!png_image_begin_read_from_memory(&image, bytes.data(), bytes.size()))
    throw Error(path + ": not a readable PNG (" + image.message + ")");
  image.format = PNG_FORMAT_RGB;  // libpng expands grayscale/palette, strips 16-bit to 8-bit
  RgbImage out;
  out.width = image.width;
  out.height = image.height;
  // Zeroed buffer: an alpha channel, if any, is composited onto black.
  out.rgb.assign(PNG_IMAGE_SIZE(image), 0);
  if (!png_image_finish_read(&image, nullptr, out.rgb.data(), 0, nullptr)) {
    const std::string why = image.message;
    png_image_free(&image);
    throw Error(path + ": corrupt PNG (" + why + ")");
  }
  return out;
}

#ifdef BGM_HAVE_JPEG
// libjpeg reports fatal errors through error_exit, which must not return; we longjmp back to the decoder
// (throwing through C frames is undefined) and turn the message into a bgm::Error there.
struct JpegErrorManager {
  jpeg_error_mgr base;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
  auto* manager = reinterpret_cast<JpegErrorManager*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, manager->message);
  std::longjmp(manager->jump, 1);
}

// Corrupt-data warnings (e.g. a few ImageNet files end early) are tolerated silently, as image libraries do.
void jpeg_ignore_message(j_common_ptr) {}

// The setjmp frame holds only trivially destructible locals; `out` lives in the caller.
bool decode_jpeg_into(const std::string& bytes, int64_t min_side, RgbImage* out, char* error_text) {
  jpeg_decompress_struct cinfo;
  JpegErrorManager errors;
  cinfo.err = jpeg_std_error(&errors.base);
  errors.base.error_exit = jpeg_error_exit;
  errors.base.output_message = jpeg_ignore_message;
  if (setjmp(errors.jump)) {
    std::strncpy(error_text, errors.message, JMSG_LENGTH_MAX);
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<unsigned long>(bytes.size()));
  jpeg_read_header(&cinfo, TRUE);
  const bool cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  cinfo.out_color_space = cmyk ? JCS_CMYK : JCS_RGB;  // libjpeg converts grayscale/YCbCr to RGB itself
  if (min_side > 0) {
    for (unsigned denom : {8u, 4u, 2u}) {
      const int64_t w = (cinfo.image_width + denom - 1) / denom, h = (cinfo.image_height + denom - 1) / denom;
      if (w >= min_side && h >= min_side) {
        cinfo.scale_num = 1;
        cinfo.scale_denom = denom;
        break;
      }
    }
  }
  jpeg_start_decompress(&cinfo);
  const unsigned components = cinfo.output_components;
  out->width = cinfo.output_width;
  out->height = cinfo.output_height;
  out->rgb.resize(static_cast<size_t>(out->width) * out->height * 3);
  // Allocated from libjpeg's own pool so that a longjmp out of a corrupt file frees it with the decoder.
  JSAMPARRAY row_storage =
      (*cinfo.mem->alloc_sarray)(reinterpret_cast<j_common_ptr>(&cinfo), JPOOL_IMAGE, cinfo.output_width * components, 1);
  // Adobe writes CMYK JPEGs inverted; those are the ones ImageNet contains.
  const bool inverted = cmyk && cinfo.saw_Adobe_marker;
  while (cinfo.output_scanline < cinfo.output_height) {
    const size_t y = cinfo.output_scanline;
    jpeg_read_scanlines(&cinfo, row_storage, 1);
    const unsigned char* row = row_storage[0];
    uint8_t* dst = out->rgb.data() + y * out->width * 3;
    if (!cmyk) {
      std::memcpy(dst, row, out->width * 3);
      continue;
    }
    for (int64_t x = 0; x < out->width; ++x) {
      const unsigned char* p = row + 4 * x;
      const int k = inverted ? p[3] : 255 - p[3];
      for (int c = 0; c < 3; ++c) {
        const int ink = inverted ? p[c] : 255 - p[c];
        dst[3 * x + c] = static_cast<uint8_t>((ink * k + 127) / 255);
      }
    }
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}
#endif

}  // namespace

bool jpeg_support_compiled() {
#ifdef BGM_HAVE_JPEG
  return true;
#else
  return false;
#endif
}

RgbImage decode_image_file(const std::string& path, int64_t min_side) {
  const std::string bytes = read_file(path);
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() >= 8 && png_sig_cmp(b, 0, 8) == 0) return decode_png(path, bytes);
  if (bytes.size() >= 3 && b[0] == 0xff && b[1] == 0xd8 && b[2] == 0xff) {
#ifdef BGM_HAVE_JPEG
    RgbImage out;
    char error_text[JMSG_LENGTH_MAX] = {0};
    if (!decode_jpeg_into(bytes, min_side, &out, error_text))
      throw Error(path + ": corrupt JPEG (" + error_text + ")");
    return out;
#else
    throw Error(path + ": is a JPEG, but bgm was built without libjpeg (install libjpeg-dev and rebuild)");
#endif
  }
  throw Error(path + ": unknown image format; expected a PNG or JPEG file");
}

namespace {

// One axis of area averaging: output cell i covers source [i*in/out, (i+1)*in/out); returns, per output
// cell, the (source index, weight) pairs, weights summing to 1.
std::vector<std::vector<std::pair<int64_t, double>>> area_weights(int64_t in, int64_t out) {
  std::vector<std::vector<std::pair<int64_t, double>>> weights(out);
  const double scale = static_cast<double>(in) / out;
  for (int64_t i = 0; i < out; ++i) {
    const double begin = i * scale, end = (i + 1) * scale;
    for (int64_t s = static_cast<int64_t>(std::floor(begin)); s < end && s < in; ++s) {
      const double covered = std::min<double>(end, s + 1) - std::max<double>(begin, s);
      if (covered > 1e-12) weights[i].emplace_back(s, covered / scale);
    }
  }
  return weights;
}

}  // namespace

std::vector<uint8_t> resize_area_to_chw(const RgbImage& image, int64_t out_height, int64_t out_width) {
  if (image.width < 1 || image.height < 1 || image.rgb.size() != static_cast<size_t>(image.width * image.height * 3))
    throw Error("resize_area_to_chw: empty or inconsistent image");
  const auto column_weights = area_weights(image.width, out_width);
  const auto row_weights = area_weights(image.height, out_height);
  // Pass 1: shrink each row to out_width columns (float, planar).
  std::vector<double> rows(3 * image.height * out_width, 0.0);
  for (int64_t y = 0; y < image.height; ++y)
    for (int64_t x = 0; x < out_width; ++x)
      for (const auto& [source, weight] : column_weights[x])
        for (int c = 0; c < 3; ++c)
          rows[(c * image.height + y) * out_width + x] += weight * image.rgb[(y * image.width + source) * 3 + c];
  // Pass 2: shrink the columns to out_height rows and round.
  std::vector<uint8_t> chw(3 * out_height * out_width);
  for (int c = 0; c < 3; ++c)
    for (int64_t y = 0; y < out_height; ++y)
      for (int64_t x = 0; x < out_width; ++x) {
        double sum = 0.0;
        for (const auto& [source, weight] : row_weights[y]) sum += weight * rows[(c * image.height + source) * out_width + x];
        chw[(c * out_height + y) * out_width + x] = static_cast<uint8_t>(std::clamp(std::lround(sum), 0L, 255L));
      }
  return chw;
}

}  // namespace bgm
