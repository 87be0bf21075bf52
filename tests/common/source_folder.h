// Where a test's own source file lies, for test data committed beside it.
#pragma once

#include <filesystem>
#include <string_view>

namespace loopscope::test {

// The folder of `file` (pass __FILE__). ccache's base_dir makes __FILE__ relative to where the
// object was compiled: the tests' binary folder, which is bin/../tests from this executable.
inline std::filesystem::path sourceFolderOf(std::string_view file) {
  std::filesystem::path source(file);
  if (source.is_relative())
    source = std::filesystem::canonical("/proc/self/exe").parent_path().parent_path() / "tests" / source;
  return source.lexically_normal().parent_path();
}

}  // namespace loopscope::test
