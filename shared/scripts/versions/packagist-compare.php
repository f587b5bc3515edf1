<?php
// Judge for generate-packagist.py: reads `A<TAB>B` lines on stdin and prints `<`, `=` or `>` per
// line, as PHP's version_compare(A, B) orders them.
while (($line = fgets(STDIN)) !== false) {
  [$a, $b] = explode("\t", rtrim($line, "\n"), 2);
  $order = version_compare($a, $b);
  echo $order < 0 ? '<' : ($order > 0 ? '>' : '='), "\n";
}
