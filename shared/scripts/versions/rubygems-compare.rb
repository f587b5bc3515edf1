# Judge for generate-rubygems.py: reads `A\0B` lines on stdin and prints `<`, `=` or `>` per line,
# as Gem::Version#<=> orders A against B. A NUL separates the two because versions may hold tabs.
require "rubygems/version"

$stdin.each_line do |line|
  a, b = line.chomp("\n").split("\0", 2)
  order = Gem::Version.new(a) <=> Gem::Version.new(b)
  puts(order.negative? ? "<" : order.positive? ? ">" : "=")
end
