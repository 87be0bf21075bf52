#!/usr/bin/env python3
"""Writes lessons/ next to itself: lesson folders a stranger could share (issue 11).

01-nested-groups   an .expect line with 20,000 nested parentheses (std::regex recursed until
                   the app crashed at start-up while the folder was configured)
02-alternation     `(a|b)*` against a 100,000-character output line (crashed `lessons check`)
03-options-path    X.options with `--trace PATH` (overwrote a user file)
04-good            a plain lesson that must still load beside the others
"""
import os

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lessons")


def lesson(folder, title, order, files):
    path = os.path.join(HERE, folder)
    os.makedirs(path, exist_ok=True)
    md = f"---\ntitle: {title}\norder: {order}\ntrack: Event loop\ncovers: hostile-input\n---\n{title}.\n"
    files = dict(files, **{"lesson.md": md})
    for name, text in files.items():
        with open(os.path.join(path, name), "w") as f:
            f.write(text)


def main():
    lesson("01-nested-groups", "Twenty thousand nested groups", 1,
           {"nested.js": "console.log('a');\n", "nested.expect": "(" * 20000 + "a" + ")" * 20000 + "\n"})
    lesson("02-alternation", "Alternation over a long line", 2,
           {"long.js": "console.log('ab'.repeat(50000));\n", "long.expect": "(a|b)*\n"})
    lesson("03-options-path", "Options that name a path", 3,
           {"write.js": "console.log('hello');\n", "write.expected": "hello\n",
            "write.options": "--trace /tmp/loopscope-hostile-lesson-overwrites-this\n"})
    lesson("04-good", "A good lesson", 4,
           {"good.js": "console.log('took', 12, 'ms');\n", "good.expect": "took \\d+ ms\n"})


if __name__ == "__main__":
    main()
