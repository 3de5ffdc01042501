#include "ingest/thumbnails_vtt.hpp"

#include <gtest/gtest.h>

namespace streamsync::server {
namespace {

TEST(ThumbnailsVtt, OneCuePerTileRowByRow) {
  SpritePlan sprite;
  sprite.interval_s = 10;
  sprite.tile_width = 160;
  sprite.tile_height = 90;
  sprite.count = 3;
  sprite.columns = 2;
  sprite.rows = 2;
  EXPECT_EQ(thumbnails_vtt(sprite, 25'500'000, "sprite.jpg"),
            "WEBVTT\n"
            "\n00:00:00.000 --> 00:00:10.000\nsprite.jpg#xywh=0,0,160,90\n"
            "\n00:00:10.000 --> 00:00:20.000\nsprite.jpg#xywh=160,0,160,90\n"
            "\n00:00:20.000 --> 00:00:25.500\nsprite.jpg#xywh=0,90,160,90\n");
}

TEST(ThumbnailsVtt, FormatsHours) {
  SpritePlan sprite;
  sprite.count = 1;
  EXPECT_NE(thumbnails_vtt(sprite, 3'723'004'000, "s.jpg").find("00:00:00.000 --> 01:02:03.004"),
            std::string::npos);
}

}  // namespace
}  // namespace streamsync::server
