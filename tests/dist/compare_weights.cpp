// compare_weights A.pt B.pt TOL: exit 0 when both weight files (bgm's save_weights archives) hold the same
// tensor names and every element differs by at most TOL; prints the largest difference either way.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <torch/torch.h>

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: compare_weights A.pt B.pt TOLERANCE\n");
    return 2;
  }
  torch::serialize::InputArchive a, b;
  a.load_from(argv[1]);
  b.load_from(argv[2]);
  const auto a_keys = a.keys(), b_keys = b.keys();
  if (std::set<std::string>(a_keys.begin(), a_keys.end()) != std::set<std::string>(b_keys.begin(), b_keys.end())) {
    std::fprintf(stderr, "compare_weights: %s and %s hold different tensor names\n", argv[1], argv[2]);
    return 1;
  }
  const double tolerance = std::atof(argv[3]);
  double worst = 0.0;
  std::string worst_key;
  for (const auto& key : a_keys) {
    torch::Tensor x, y;
    const bool buffer = key.rfind("b/", 0) == 0;
    a.read(key, x, buffer);
    b.read(key, y, buffer);
    if (x.sizes() != y.sizes()) {
      std::fprintf(stderr, "compare_weights: %s has different shapes\n", key.c_str());
      return 1;
    }
    if (x.numel() == 0) continue;
    const double diff = (x.to(torch::kDouble) - y.to(torch::kDouble)).abs().max().item<double>();
    if (std::isnan(diff)) {
      std::fprintf(stderr, "compare_weights: %s holds NaN\n", key.c_str());
      return 1;
    }
    if (diff > worst) {
      worst = diff;
      worst_key = key;
    }
  }
  std::printf("compare_weights: %zu tensors, max |difference| %.3g (%s), tolerance %.3g\n", a_keys.size(), worst,
              worst_key.c_str(), tolerance);
  return worst <= tolerance && a_keys.size() > 0 ? 0 : 1;
}
