// The programs find libnode's builtins and the lessons wherever they run: from the build tree,
// from the installed package, or from a package unpacked into a scratch folder. Each test builds
// the layout it needs in a private temporary folder.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "trace/install_paths.h"

using namespace loopscope;
namespace fs = std::filesystem;

namespace {

constexpr char kOverride[] = "LOOPSCOPE_INSTALL_PATHS_TEST_OVERRIDE";

// A scratch root holding the package's layout: <root>/usr/{bin,lib/loopscope,share/loopscope}.
class InstallPathsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "loopscope-install-paths-XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    m_root = pattern;
    ::unsetenv(kOverride);
  }
  void TearDown() override {
    ::unsetenv(kOverride);
    std::error_code ec;
    fs::remove_all(m_root, ec);
  }
  fs::path makeProgram(const fs::path& relative) {
    fs::path program = m_root / relative;
    fs::create_directories(program.parent_path());
    std::ofstream(program) << "#!/bin/sh\n";
    return program;
  }
  fs::path makeFolder(const fs::path& relative) {
    fs::create_directories(m_root / relative);
    return m_root / relative;
  }
  fs::path m_root;
};

}  // namespace

TEST_F(InstallPathsTest, EngineInPrivateFolderFindsLessonsInSharedDataFolder) {
  fs::path engine = makeProgram("usr/lib/loopscope/loopscope-engine");
  fs::path lessons = makeFolder("usr/share/loopscope/lessons");
  EXPECT_EQ(resolveDataDir(kOverride, engine, "lessons", "/build/tree/lessons"), lessons.string());
}

TEST_F(InstallPathsTest, AppInBinFolderFindsLessonsInSharedDataFolder) {
  fs::path app = makeProgram("usr/bin/loopscope");
  fs::path lessons = makeFolder("usr/share/loopscope/lessons");
  EXPECT_EQ(resolveDataDir(kOverride, app, "lessons", "/build/tree/lessons"), lessons.string());
}

TEST_F(InstallPathsTest, EngineFindsNodeBuiltinsInSharedDataFolder) {
  fs::path engine = makeProgram("usr/lib/loopscope/loopscope-engine");
  fs::path share = makeFolder("usr/share/loopscope/nodejs");
  EXPECT_EQ(resolveDataDir(kOverride, engine, "nodejs", "/build/tree/nodejs"), share.string());
}

TEST_F(InstallPathsTest, EnvironmentOverrideWinsOverInstalledFolder) {
  fs::path engine = makeProgram("usr/lib/loopscope/loopscope-engine");
  makeFolder("usr/share/loopscope/lessons");
  ::setenv(kOverride, "/somewhere/else", 1);
  EXPECT_EQ(resolveDataDir(kOverride, engine, "lessons", "/build/tree/lessons"), "/somewhere/else");
}

TEST_F(InstallPathsTest, EmptyEnvironmentOverrideIsIgnored) {
  fs::path engine = makeProgram("usr/lib/loopscope/loopscope-engine");
  fs::path lessons = makeFolder("usr/share/loopscope/lessons");
  ::setenv(kOverride, "", 1);
  EXPECT_EQ(resolveDataDir(kOverride, engine, "lessons", "/build/tree/lessons"), lessons.string());
}

// build/bin/loopscope sits in a "bin" folder too; without build/share/loopscope the build tree's
// own folder must be used.
TEST_F(InstallPathsTest, BuildTreeProgramWithoutInstalledFolderFallsBackToBuildTree) {
  fs::path app = makeProgram("build/bin/loopscope");
  EXPECT_EQ(resolveDataDir(kOverride, app, "lessons", "/src/lessons"), "/src/lessons");
}

TEST_F(InstallPathsTest, ProgramOutsideInstalledLayoutFallsBackToBuildTree) {
  fs::path program = makeProgram("opt/tools/loopscope-engine");
  makeFolder("opt/share/loopscope/lessons");
  EXPECT_EQ(resolveDataDir(kOverride, program, "lessons", "/src/lessons"), "/src/lessons");
}

TEST_F(InstallPathsTest, FolderNameMerelyEndingInBinIsNotAnInstalledLayout) {
  EXPECT_EQ(installPrefixOf("/opt/xbin/loopscope"), fs::path());
  EXPECT_EQ(installPrefixOf("/usr/bin/loopscope"), fs::path("/usr"));
  EXPECT_EQ(installPrefixOf("/usr/lib/loopscope/loopscope-engine"), fs::path("/usr"));
}

TEST_F(InstallPathsTest, UnknownRunningProgramFallsBackToBuildTree) {
  EXPECT_EQ(resolveDataDir(kOverride, fs::path(), "lessons", "/src/lessons"), "/src/lessons");
  EXPECT_EQ(resolveDataDir(kOverride, "relative/bin/loopscope", "lessons", "/src/lessons"), "/src/lessons");
}

// The wrappers the programs call read their own variables: these are the names the README and
// the sandbox's environment pass-through promise.
TEST_F(InstallPathsTest, LessonsDirHonoursLoopscopeLessonsVariable) {
  const char* saved = std::getenv("LOOPSCOPE_LESSONS");
  std::string savedValue = saved ? saved : "";
  ::setenv("LOOPSCOPE_LESSONS", m_root.c_str(), 1);
  std::string found = lessonsDir();
  if (saved)
    ::setenv("LOOPSCOPE_LESSONS", savedValue.c_str(), 1);
  else
    ::unsetenv("LOOPSCOPE_LESSONS");
  EXPECT_EQ(found, m_root.string());
}

TEST_F(InstallPathsTest, NodeShareDirHonoursLoopscopeNodeShareVariable) {
  const char* saved = std::getenv("LOOPSCOPE_NODE_SHARE");
  std::string savedValue = saved ? saved : "";
  ::setenv("LOOPSCOPE_NODE_SHARE", m_root.c_str(), 1);
  std::string found = nodeShareDir();
  if (saved)
    ::setenv("LOOPSCOPE_NODE_SHARE", savedValue.c_str(), 1);
  else
    ::unsetenv("LOOPSCOPE_NODE_SHARE");
  EXPECT_EQ(found, m_root.string());
}

// Run from build/bin, with no override, the build tree's folders are the answer and they exist.
TEST_F(InstallPathsTest, BuildTreeRunFindsExistingLessonsAndNodeBuiltins) {
  if (std::getenv("LOOPSCOPE_LESSONS") || std::getenv("LOOPSCOPE_NODE_SHARE"))
    GTEST_SKIP() << "an override is set in this environment";
  EXPECT_TRUE(fs::is_directory(fs::path(lessonsDir()) / "01-event-loop-phases")) << lessonsDir();
  EXPECT_TRUE(fs::is_regular_file(fs::path(nodeShareDir()) / "acorn/dist/acorn.js")) << nodeShareDir();
}
