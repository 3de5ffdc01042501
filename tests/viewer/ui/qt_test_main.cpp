// gtest main for widget tests: a QApplication for the whole run. Without a display the
// offscreen platform is used (ctest sets it too; this also covers gtest_discover_tests,
// which runs the binary at build time without the test environment).

#include <gtest/gtest.h>

#include <QApplication>

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QApplication app(argc, argv);
  return RUN_ALL_TESTS();
}
