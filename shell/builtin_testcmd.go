package shell

import (
	"strconv"
	"strings"
)

func init() {
	builtins["test"] = testBuiltin
	builtins["["] = testBuiltin
}

// testError is a usage error of test, reported with status 2.
type testError struct{ msg string }

// testBuiltin implements test and [ with POSIX's rules by argument count
// and, beyond four arguments, bash's -a/-o/!/( ) grammar.
func testBuiltin(r *Runner, args []string) int {
	name := args[0]
	args = args[1:]
	if name == "[" {
		if len(args) == 0 || args[len(args)-1] != "]" {
			r.errorf("[: missing `]'")
			return 2
		}
		args = args[:len(args)-1]
	}
	t := testParser{r: r, args: args}
	ok := t.byCount(args)
	if t.err != nil {
		r.errorf("%s: %s", name, t.err.msg)
		return 2
	}
	if ok {
		return 0
	}
	return 1
}

type testParser struct {
	r    *Runner
	args []string
	pos  int
	err  *testError
}

func (t *testParser) fail(format string, a ...string) bool {
	if t.err == nil {
		msg := format
		for _, s := range a {
			msg = strings.Replace(msg, "%s", s, 1)
		}
		t.err = &testError{msg}
	}
	return false
}

// byCount applies POSIX's rules for up to four arguments.
func (t *testParser) byCount(args []string) bool {
	switch len(args) {
	case 0:
		return false
	case 1:
		return args[0] != ""
	case 2:
		if args[0] == "!" {
			return !t.byCount(args[1:])
		}
		if isUnaryTestOp(args[0]) {
			return t.unary(args[0], args[1])
		}
		return t.fail("%s: unary operator expected", args[0])
	case 3:
		if isBinaryTestOp(args[1]) {
			return t.binary(args[0], args[1], args[2])
		}
		if args[1] == "-a" {
			return args[0] != "" && args[2] != ""
		}
		if args[1] == "-o" {
			return args[0] != "" || args[2] != ""
		}
		if args[0] == "!" {
			return !t.byCount(args[1:])
		}
		if args[0] == "(" && args[2] == ")" {
			return args[1] != ""
		}
		return t.fail("%s: binary operator expected", args[1])
	case 4:
		if args[0] == "!" {
			return !t.byCount(args[1:])
		}
		if args[0] == "(" && args[3] == ")" {
			return t.byCount(args[1:3])
		}
	}
	t.args, t.pos = args, 0
	v := t.or()
	if t.err == nil && t.pos < len(t.args) {
		return t.fail("too many arguments")
	}
	return v
}

func (t *testParser) peek(k int) (string, bool) {
	if t.pos+k < len(t.args) {
		return t.args[t.pos+k], true
	}
	return "", false
}

func (t *testParser) or() bool {
	v := t.and()
	for t.err == nil {
		if a, ok := t.peek(0); !ok || a != "-o" {
			break
		}
		t.pos++
		w := t.and()
		v = v || w
	}
	return v
}

func (t *testParser) and() bool {
	v := t.not()
	for t.err == nil {
		if a, ok := t.peek(0); !ok || a != "-a" {
			break
		}
		t.pos++
		w := t.not()
		v = v && w
	}
	return v
}

func (t *testParser) not() bool {
	if a, ok := t.peek(0); ok && a == "!" {
		if _, more := t.peek(1); more {
			t.pos++
			return !t.not()
		}
	}
	return t.primary()
}

func (t *testParser) primary() bool {
	a, ok := t.peek(0)
	if !ok {
		return t.fail("argument expected")
	}
	if b, ok := t.peek(1); ok && isBinaryTestOp(b) {
		if c, ok := t.peek(2); ok {
			t.pos += 3
			return t.binary(a, b, c)
		}
	}
	if a == "(" {
		t.pos++
		v := t.or()
		if c, ok := t.peek(0); !ok || c != ")" {
			return t.fail("`)' expected")
		}
		t.pos++
		return v
	}
	if isUnaryTestOp(a) {
		if b, ok := t.peek(1); ok {
			t.pos += 2
			return t.unary(a, b)
		}
	}
	t.pos++
	return a != ""
}

func (t *testParser) unary(op, s string) bool {
	if op == "-t" {
		s = strings.TrimSpace(s)
		if _, err := strconv.ParseInt(s, 10, 32); err != nil {
			// not a number, or out of range: an error (dash, osh)
			return t.fail("%s: integer expression expected", s)
		}
	}
	return t.r.unaryTest(op, s)
}

func (t *testParser) binary(a, op, b string) bool {
	switch op {
	case "-eq", "-ne", "-lt", "-gt", "-le", "-ge":
		x, ok := testInt(a)
		if !ok {
			return t.fail("%s: integer expression expected", a)
		}
		y, ok := testInt(b)
		if !ok {
			return t.fail("%s: integer expression expected", b)
		}
		return intCompare(op, x, y)
	}
	return t.r.binaryTest(op, a, b)
}

// testInt parses an integer operand of test: optional blanks, an optional
// sign, decimal digits.
func testInt(s string) (int64, bool) {
	s = strings.Trim(s, " \t\n")
	if s == "" {
		return 0, false
	}
	t := s
	if t[0] == '-' || t[0] == '+' {
		t = t[1:]
	}
	if t == "" {
		return 0, false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
