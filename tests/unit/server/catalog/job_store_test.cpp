#include "catalog/job_store.hpp"

#include <gtest/gtest.h>

#include "catalog/migrations.hpp"
#include "catalog/video_store.hpp"
#include "support/temp_dir.hpp"

namespace streamsync::server {
namespace {

using streamsync::testing::TempDir;

class JobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(migrate(db_));
    for (const char* id : {"v1", "v2", "v3"}) {
      VideoRecord video;
      video.id = id;
      video.title = id;
      videos_.upsert(video);
    }
  }
  JobRecord job(std::string id, std::string video_id, std::int64_t created_at_us) {
    return {std::move(id), std::move(video_id), JobStatus::queued, 0, "", "/tmp/in.mp4",
            false,         created_at_us,       created_at_us};
  }

  TempDir dir_;
  Database db_{dir_.file("catalog.db")};
  VideoStore videos_{db_};
  JobStore jobs_{db_};
};

TEST_F(JobStoreTest, StoresAndReadsBack) {
  const JobRecord stored = job("j1", "v1", 10);
  jobs_.create(stored);
  EXPECT_EQ(jobs_.get("j1"), stored);
  EXPECT_FALSE(jobs_.get("nope"));
  EXPECT_EQ(jobs_.latest_for_video("v1"), stored);
}

TEST_F(JobStoreTest, ClaimTakesTheOldestQueuedJobOnce) {
  jobs_.create(job("late", "v1", 20));
  jobs_.create(job("early", "v2", 10));
  const auto first = jobs_.claim_next(30);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, "early");
  EXPECT_EQ(first->status, JobStatus::probing);
  EXPECT_EQ(jobs_.claim_next(31)->id, "late");
  EXPECT_FALSE(jobs_.claim_next(32));
  EXPECT_FALSE(jobs_.claim("early", 33)) << "already claimed";
}

TEST_F(JobStoreTest, FinishedJobsNeverChangeAgain) {
  jobs_.create(job("j", "v1", 1));
  ASSERT_TRUE(jobs_.claim("j", 2));
  EXPECT_TRUE(jobs_.update("j", JobStatus::transcoding, 0.5, "", 3));
  EXPECT_TRUE(jobs_.update("j", JobStatus::cancelled, 0.5, "cancelled by a presenter", 4));
  EXPECT_FALSE(jobs_.update("j", JobStatus::ready, 1, "", 5)) << "a cancelled job stays cancelled";
  const auto stored = jobs_.get("j");
  EXPECT_EQ(stored->status, JobStatus::cancelled);
  EXPECT_EQ(stored->message, "cancelled by a presenter");
  EXPECT_EQ(stored->updated_at_us, 4);
}

TEST_F(JobStoreTest, ProgressIsClampedToTheUnitRange) {
  jobs_.create(job("j", "v1", 1));
  jobs_.update("j", JobStatus::transcoding, 1.7, "", 2);
  EXPECT_DOUBLE_EQ(jobs_.get("j")->progress, 1.0);
}

TEST_F(JobStoreTest, InterruptedJobsGoBackToTheQueueFromScratch) {
  jobs_.create(job("running", "v1", 1));
  jobs_.create(job("done", "v2", 2));
  jobs_.create(job("waiting", "v3", 3));
  jobs_.claim("running", 4);
  jobs_.update("running", JobStatus::transcoding, 0.4, "", 5);
  jobs_.claim("done", 4);
  jobs_.update("done", JobStatus::ready, 1, "", 6);
  const auto requeued = jobs_.requeue_interrupted(7);
  ASSERT_EQ(requeued.size(), 1u);
  EXPECT_EQ(requeued[0].id, "running");
  EXPECT_EQ(jobs_.get("running")->status, JobStatus::queued);
  EXPECT_DOUBLE_EQ(jobs_.get("running")->progress, 0.0);
  EXPECT_EQ(jobs_.get("done")->status, JobStatus::ready);
  EXPECT_EQ(jobs_.get("waiting")->status, JobStatus::queued);
}

TEST_F(JobStoreTest, DeletingTheVideoDeletesItsJobs) {
  jobs_.create(job("j", "v1", 1));
  videos_.remove("v1");
  EXPECT_FALSE(jobs_.get("j"));
}

TEST_F(JobStoreTest, ListIsNewestFirst) {
  jobs_.create(job("a", "v1", 1));
  jobs_.create(job("b", "v2", 2));
  const auto list = jobs_.list();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, "b");
  EXPECT_EQ(jobs_.list(1).size(), 1u);
}

TEST(JobStatus, NamesRoundTrip) {
  for (const JobStatus status : {JobStatus::queued, JobStatus::probing, JobStatus::transcoding,
                                 JobStatus::ready, JobStatus::failed, JobStatus::cancelled}) {
    EXPECT_EQ(job_status_from_string(to_string(status)), status);
  }
  EXPECT_FALSE(job_status_from_string("paused"));
  EXPECT_TRUE(is_finished(JobStatus::failed));
  EXPECT_FALSE(is_finished(JobStatus::transcoding));
}

}  // namespace
}  // namespace streamsync::server
