package shell

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/sys/unix"
	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// testClause evaluates [[ expr ]].
// errBadRegex is the error of [[ =~ ]] with an invalid regular
// expression: status 2 and no message, as in bash.
var errBadRegex = errors.New("invalid regular expression")

func (r *Runner) testClause(x syntax.TestExpr) (bool, error) {
	switch x := x.(type) {
	case *syntax.Word:
		s, err := r.literal(x)
		return s != "", err
	case *syntax.ParenTest:
		return r.testClause(x.X)
	case *syntax.UnaryTest:
		if x.Op == syntax.TsNot {
			ok, err := r.testClause(x.X)
			return !ok, err
		}
		w, _ := x.X.(*syntax.Word)
		s, err := r.literal(w)
		if err != nil {
			return false, err
		}
		return r.unaryTest(x.Op.String(), s), nil
	case *syntax.BinaryTest:
		switch x.Op {
		case syntax.AndTest:
			ok, err := r.testClause(x.X)
			if err != nil || !ok {
				return false, err
			}
			return r.testClause(x.Y)
		case syntax.OrTest:
			ok, err := r.testClause(x.X)
			if err != nil || ok {
				return ok, err
			}
			return r.testClause(x.Y)
		}
		lw, _ := x.X.(*syntax.Word)
		left, err := r.literal(lw)
		if err != nil {
			return false, err
		}
		rw, _ := x.Y.(*syntax.Word)
		switch x.Op {
		case syntax.TsMatch, syntax.TsMatchShort, syntax.TsNoMatch:
			pat, err := r.patternOf(rw)
			if err != nil {
				return false, err
			}
			m := r.matchCase(pat, left)
			if x.Op == syntax.TsNoMatch {
				return !m, nil
			}
			return m, nil
		case syntax.TsReMatch:
			re, err := r.regexOf(rw)
			if err != nil {
				return false, err
			}
			flags := "(?s)" // a POSIX . matches a newline too
			if r.shopts["nocasematch"] {
				flags = "(?is)"
			}
			rx, err := regexp.Compile(flags + re)
			if err != nil {
				// an invalid regular expression is status 2, silently
				return false, errBadRegex
			}
			m := rx.FindStringSubmatch(left)
			if m == nil {
				r.Set("BASH_REMATCH", expand.Variable{Set: true, Kind: expand.Indexed})
				return false, nil
			}
			r.Set("BASH_REMATCH", expand.Variable{Set: true, Kind: expand.Indexed, List: m})
			return true, nil
		}
		right, err := r.literal(rw)
		if err != nil {
			return false, err
		}
		switch x.Op {
		case syntax.TsEql, syntax.TsNeq, syntax.TsLss, syntax.TsGtr, syntax.TsLeq, syntax.TsGeq:
			a, err := r.arithString(left, 0)
			if err != nil {
				return false, err
			}
			b, err := r.arithString(right, 0)
			if err != nil {
				return false, err
			}
			return intCompare(x.Op.String(), a, b), nil
		}
		return r.binaryTest(x.Op.String(), left, right), nil
	}
	return false, nil
}

// regexOf expands the right side of =~: quoted parts match literally.
func (r *Runner) regexOf(w *syntax.Word) (string, error) {
	var b strings.Builder
	for i, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && i == 0 && strings.HasPrefix(l.Value, "~") {
			// a tilde expansion is matched literally
			if tw := r.leadingTilde(&syntax.Word{Parts: w.Parts[:1]}); len(tw.Parts) > 0 {
				if q, ok := tw.Parts[0].(*syntax.SglQuoted); ok {
					b.WriteString(regexp.QuoteMeta(q.Value))
					for _, rest := range tw.Parts[1:] {
						b.WriteString(rest.(*syntax.Lit).Value)
					}
					continue
				}
			}
		}
		switch p := p.(type) {
		case *syntax.SglQuoted, *syntax.DblQuoted:
			s, err := r.literal(&syntax.Word{Parts: []syntax.WordPart{p}})
			if err != nil {
				return "", err
			}
			b.WriteString(regexp.QuoteMeta(s))
		case *syntax.Lit:
			// a backslash-escaped character matches itself
			v := p.Value
			for j := 0; j < len(v); j++ {
				if v[j] == '\\' && j+1 < len(v) {
					j++
					if v[j] != '\n' {
						b.WriteString(regexp.QuoteMeta(v[j : j+1]))
					}
					continue
				}
				b.WriteByte(v[j])
			}
		default:
			s, err := r.literal(&syntax.Word{Parts: []syntax.WordPart{p}})
			if err != nil {
				return "", err
			}
			b.WriteString(s)
		}
	}
	return b.String(), nil
}

func intCompare(op string, a, b int64) bool {
	switch op {
	case "-eq":
		return a == b
	case "-ne":
		return a != b
	case "-lt":
		return a < b
	case "-gt":
		return a > b
	case "-le":
		return a <= b
	case "-ge":
		return a >= b
	}
	return false
}

// isUnaryTestOp reports whether op is a unary test operator.
func isUnaryTestOp(op string) bool {
	switch op {
	case "-a", "-b", "-c", "-d", "-e", "-f", "-g", "-G", "-h", "-k", "-L", "-N", "-O", "-p",
		"-r", "-s", "-S", "-t", "-u", "-w", "-x", "-z", "-n", "-o", "-v", "-R":
		return true
	}
	return false
}

// isBinaryTestOp reports whether op is a binary test operator.
func isBinaryTestOp(op string) bool {
	switch op {
	case "=", "==", "!=", "<", ">", "-eq", "-ne", "-lt", "-gt", "-le", "-ge", "-nt", "-ot", "-ef":
		return true
	}
	return false
}

// unaryTest evaluates a unary operator of test and [[ ]].
func (r *Runner) unaryTest(op, s string) bool {
	switch op {
	case "-z":
		return s == ""
	case "-n":
		return s != ""
	case "-o":
		d := optionByName(s)
		return d != nil && d.get(&r.opts)
	case "-v":
		if i := strings.IndexByte(s, '['); i > 0 && strings.HasSuffix(s, "]") {
			v := r.Get(s[:i])
			idx := s[i+1 : len(s)-1]
			if (idx == "@" || idx == "*") && v.Kind != expand.Associative {
				// a[@]: the array has elements (bash 5.2 takes @ as a key
				// of an associative array)
				return len(v.List) > 0 || v.Kind == expand.String && v.IsSet()
			}
			switch v.Kind {
			case expand.Associative:
				_, ok := v.Map[idx]
				return ok
			case expand.Indexed:
				n, err := strconv.Atoi(idx)
				if err != nil {
					if n, err = r.arithValue(idx); err != nil {
						return false
					}
				}
				if n < 0 && len(v.List) > 0 {
					last := len(v.List) - 1
					if v.Indexes != nil {
						last = v.Indexes[len(v.Indexes)-1]
					}
					n += last + 1
				}
				if v.Indexes != nil {
					for _, k := range v.Indexes {
						if k == n {
							return true
						}
					}
					return false
				}
				return n >= 0 && n < len(v.List)
			}
			return false
		}
		switch v := r.Get(s); v.Kind {
		case expand.Indexed:
			return r.unaryTest("-v", s+"[0]") // an array is set when its element 0 is
		case expand.Associative:
			_, ok := v.Map["0"]
			return ok
		default:
			return v.IsSet()
		}
	case "-R":
		return r.Get(s).Kind == expand.NameRef
	case "-t":
		n, err := strconv.Atoi(s)
		if err != nil {
			return false
		}
		fd := r.fdOf(n)
		return fd >= 0 && isTerminal(fd)
	}
	path := r.abs(s)
	if s == "" {
		return false
	}
	var st unix.Stat_t
	var err error
	if op == "-h" || op == "-L" {
		err = unix.Lstat(path, &st)
	} else {
		err = unix.Stat(path, &st)
	}
	if err != nil {
		return false
	}
	mode := st.Mode & unix.S_IFMT
	switch op {
	case "-e", "-a":
		return true
	case "-f":
		return mode == unix.S_IFREG
	case "-d":
		return mode == unix.S_IFDIR
	case "-b":
		return mode == unix.S_IFBLK
	case "-c":
		return mode == unix.S_IFCHR
	case "-p":
		return mode == unix.S_IFIFO
	case "-S":
		return mode == unix.S_IFSOCK
	case "-h", "-L":
		return mode == unix.S_IFLNK
	case "-s":
		return st.Size > 0
	case "-g":
		return st.Mode&unix.S_ISGID != 0
	case "-u":
		return st.Mode&unix.S_ISUID != 0
	case "-k":
		return st.Mode&unix.S_ISVTX != 0
	case "-r":
		return unix.Access(path, unix.R_OK) == nil
	case "-w":
		return unix.Access(path, unix.W_OK) == nil
	case "-x":
		return unix.Access(path, unix.X_OK) == nil
	case "-O":
		return int(st.Uid) == unix.Geteuid()
	case "-G":
		return int(st.Gid) == unix.Getegid()
	case "-N":
		return st.Mtim.Nano() > st.Atim.Nano()
	}
	return false
}

// binaryTest evaluates string and file comparisons of test and [[ ]].
func (r *Runner) binaryTest(op, a, b string) bool {
	switch op {
	case "=", "==":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case ">":
		return a > b
	case "-nt", "-ot", "-ef":
		var sa, sb unix.Stat_t
		ea := unix.Stat(r.abs(a), &sa)
		eb := unix.Stat(r.abs(b), &sb)
		switch op {
		case "-nt":
			return ea == nil && (eb != nil || sa.Mtim.Nano() > sb.Mtim.Nano())
		case "-ot":
			return eb == nil && (ea != nil || sa.Mtim.Nano() < sb.Mtim.Nano())
		default:
			return ea == nil && eb == nil && sa.Dev == sb.Dev && sa.Ino == sb.Ino
		}
	}
	return false
}
