# Turns a text file into a C++ header holding it as a raw string literal.
file(READ ${IN} content)
get_filename_component(name ${IN} NAME_WE)
file(WRITE ${OUT} "// Generated from ${IN}; edit that file instead.\n#pragma once\n"
     "static constexpr const char k_${name}_js[] = R\"LOOPSCOPE(${content})LOOPSCOPE\";\n")
