# WL001 syntax-error: its examples (format: workerlint/app/examples.py)

# case: endless-method-with-command-call-body (invalid)
class Badge
  def award?(user) = raise "implement in a subclass"
  #                  ^^^^^ tree-sitter-ruby cannot parse valid Ruby here: an endless method whose body is a command call (`def x = raise "y"`); the rest of the file was checked
  def name = I18n.t "badges.generic"
  #          ^^^^^^ tree-sitter-ruby cannot parse valid Ruby here: an endless method whose body is a command call (`def x = raise "y"`); the rest of the file was checked
end

# case: command-call-passing-anonymous-block (invalid)
class BadgeComponent
  def call(&)
    div class: "badge", &
    #                 ^^^ tree-sitter-ruby cannot parse valid Ruby here: a command call passing an anonymous block (`div class: "x", &`); the rest of the file was checked
  end
end

# case: index-assignment-after-a-space (invalid)
def options(approved)
  opts = {}
  opts [:approved] = approved
  #    ^^^^^^^^^^^ tree-sitter-ruby cannot parse valid Ruby here: an index assignment with a space before the bracket (`opts [:a] = 1`); the rest of the file was checked
  opts
end

# case: index-assignment-after-a-space-with-real-error (invalid)
# note: Ruby rejects these too: errors.
def options
  opts [:approved] = true
  #    ^^^^^^^^^^^ syntax error near `[:approved]`; the file's other rules were not run
end

# case: private-endless-method-with-command-call (invalid)
class Badge
  private def award?(user) = raise "implement in a subclass"
  #                          ^^^^^ syntax error near `raise`; the file's other rules were not run
end

# case: real-error-beside-grammar-gap (invalid)
# note: A real error is reported even beside a construct the parser cannot read.
class Badge
  def award?(user) = raise "implement in a subclass"
  #                  ^^^^^ tree-sitter-ruby cannot parse valid Ruby here: an endless method whose body is a command call (`def x = raise "y"`); the file's other rules were not run (syntax error on line 4)
  def total
    [1, 2
  # ^^^^^ syntax error near `[1, 2`; the file's other rules were not run
  end
end

# case: missing-closing-parenthesis (invalid)
def perform(id
#             ^ syntax error: missing `)`; the file's other rules were not run
  foo
end

# case: unclosed-array-literal (invalid)
class A
  def x
    [1, 2
  # ^^^^^ syntax error near `[1, 2`; the file's other rules were not run
  end
end

# case: missing-end-after-a-method (valid)
class A
  def perform(id)
  end
end

# case: hash-literal-without-spaces (valid)
x = {a: 1}

# case: endless-methods-with-parenthesized-calls (valid)
# note: Parenthesized, the same constructs parse.
class Badge
  def award?(user) = raise("implement in a subclass")
  def render(&) = div(class: "badge", &)
end
