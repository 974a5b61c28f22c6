// PNG/JPEG decoding to RGB (grayscale expanded, format sniffed from the bytes) and the area-averaging resize.
#include "data/formats/image_decode.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "image_writers.h"
#include "test_files.h"

namespace bgm {
namespace {

using test::error_of;
using test::TempDir;

TEST(ImageDecode, RgbPngExact) {
  TempDir dir;
  std::vector<uint8_t> pixels;
  for (int i = 0; i < 5 * 3 * 3; ++i) pixels.push_back(static_cast<uint8_t>(i * 5));
  test::write_png(dir / "a.png", 5, 3, 3, pixels);
  const RgbImage image = decode_image_file(dir / "a.png");
  EXPECT_EQ(image.width, 5);
  EXPECT_EQ(image.height, 3);
  EXPECT_EQ(image.rgb, pixels);
}

TEST(ImageDecode, GrayscalePngExpandsToRgb) {
  TempDir dir;
  test::write_png(dir / "g.png", 2, 1, 1, {17, 200});
  const RgbImage image = decode_image_file(dir / "g.png");
  EXPECT_EQ(image.rgb, (std::vector<uint8_t>{17, 17, 17, 200, 200, 200}));
}

#ifdef BGM_HAVE_JPEG
TEST(ImageDecode, JpegFlatColourAndSniffingByContent) {
  TempDir dir;
  test::write_jpeg(dir / "c.png", 16, 8, 3, test::solid_rgb(16, 8, 200, 30, 90));  // a JPEG with a .png name
  const RgbImage image = decode_image_file(dir / "c.png");
  ASSERT_EQ(image.width, 16);
  ASSERT_EQ(image.height, 8);
  for (size_t i = 0; i < image.rgb.size(); i += 3) {
    EXPECT_NEAR(image.rgb[i], 200, 3);
    EXPECT_NEAR(image.rgb[i + 1], 30, 3);
    EXPECT_NEAR(image.rgb[i + 2], 90, 3);
  }
}

TEST(ImageDecode, GrayscaleJpegExpandsAndDctScalingKeepsMinSide) {
  TempDir dir;
  test::write_jpeg(dir / "g.jpg", 256, 128, 1, std::vector<uint8_t>(256 * 128, 77));
  const RgbImage image = decode_image_file(dir / "g.jpg", 64);
  EXPECT_EQ(image.width, 128);  // 1/2 keeps the short side at 64; 1/4 would give 32
  EXPECT_EQ(image.height, 64);
  EXPECT_NEAR(image.rgb[0], 77, 2);
  EXPECT_EQ(image.rgb[0], image.rgb[1]);
  EXPECT_EQ(image.rgb[1], image.rgb[2]);
}

TEST(ImageDecode, TruncatedJpegHeaderIsAnError) {
  TempDir dir;
  test::write_jpeg(dir / "t.jpg", 16, 16, 3, test::solid_rgb(16, 16, 1, 2, 3));
  test::write_bytes(dir / "t.jpg", test::read_all(dir / "t.jpg").substr(0, 40));
  const std::string message = error_of([&] { decode_image_file(dir / "t.jpg"); });
  EXPECT_NE(message.find("t.jpg"), std::string::npos) << message;
  EXPECT_NE(message.find("JPEG"), std::string::npos) << message;
}
#endif

TEST(ImageDecode, UnknownFormatAndMissingFile) {
  TempDir dir;
  test::write_bytes(dir / "x.png", "definitely not an image");
  std::string message = error_of([&] { decode_image_file(dir / "x.png"); });
  EXPECT_NE(message.find("x.png"), std::string::npos) << message;
  message = error_of([&] { decode_image_file(dir / "none.png"); });
  EXPECT_NE(message.find("none.png"), std::string::npos) << message;
}

TEST(AreaResize, IntegerFactorAveragesBlocks) {
  RgbImage image;
  image.width = 4;
  image.height = 2;
  // Red channel rows: 0 10 20 30 / 40 50 60 70; green = 255 - red; blue constant 9.
  for (int i = 0; i < 8; ++i) image.rgb.insert(image.rgb.end(), {uint8_t(10 * i), uint8_t(255 - 10 * i), 9});
  const std::vector<uint8_t> chw = resize_area_to_chw(image, 1, 2);
  // Output (1x2): left block {0,10,40,50} -> 25, right block {20,30,60,70} -> 45.
  EXPECT_EQ(chw, (std::vector<uint8_t>{25, 45, 230, 210, 9, 9}));
}

TEST(AreaResize, FractionalFootprintsWeighByCoverage) {
  RgbImage image;  // 3x1 -> 2x1: out0 = (1*a + 0.5*b)/1.5, out1 = (0.5*b + 1*c)/1.5
  image.width = 3;
  image.height = 1;
  image.rgb = {0, 0, 0, 90, 90, 90, 180, 180, 180};
  const std::vector<uint8_t> chw = resize_area_to_chw(image, 1, 2);
  EXPECT_EQ(chw, (std::vector<uint8_t>{30, 150, 30, 150, 30, 150}));
}

TEST(AreaResize, SameSizeIsIdentityInChwOrder) {
  RgbImage image;
  image.width = 2;
  image.height = 2;
  image.rgb = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
  EXPECT_EQ(resize_area_to_chw(image, 2, 2), (std::vector<uint8_t>{1, 4, 7, 10, 2, 5, 8, 11, 3, 6, 9, 12}));
}

}  // namespace
}  // namespace bgm
