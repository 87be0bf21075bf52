// `loopscope-engine lessons check [DIR]`: runs every lesson snippet on the engine and compares
// its output with what the lesson expects; runs exercise solutions and starters through their
// checkers. One line per failure, then "N passed, M failed".
#pragma once

#include <string>

namespace loopscope {

int lessonsCheck(const std::string& root, const std::string& enginePath);

}  // namespace loopscope
