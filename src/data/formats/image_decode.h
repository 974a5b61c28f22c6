// Decoding one image file (PNG via libpng, JPEG via libjpeg) to 8-bit RGB, and the area-averaging resize
// that brings ImageNet pictures to 32x32.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace bgm {

struct RgbImage {
  int64_t width = 0, height = 0;
  std::vector<uint8_t> rgb;  // height*width*3, interleaved (HWC)
};

// The format is taken from the file's first bytes, not its name (ImageNet has a PNG named .JPEG).
// Grayscale, palette and 16-bit PNGs and grayscale/CMYK JPEGs all come out as 8-bit RGB.
// `min_side` > 0 lets the JPEG decoder scale down by 1/2, 1/4 or 1/8 in the DCT domain as long as both
// sides stay >= min_side: several times faster on full-size photos, and itself a low-pass reduction.
RgbImage decode_image_file(const std::string& path, int64_t min_side = 0);

// Area averaging ("box" resampling, like OpenCV's INTER_AREA when shrinking): every output pixel is the mean
// of the source pixels its footprint covers, partially covered pixels weighted by the covered fraction.
// Done separably (rows, then columns), which gives the same weights as the 2-D footprint. Rounded to nearest.
// Returns planar CHW (3 x out_height x out_width), the order the datasets store.
std::vector<uint8_t> resize_area_to_chw(const RgbImage& image, int64_t out_height, int64_t out_width);

bool jpeg_support_compiled();

}  // namespace bgm
