package shell

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/pattern"
	"mvdan.cc/sh/v3/syntax"
)

// matchPattern reports whether s matches the shell pattern pat in full.
// Backslash quotes the next character. Extended globs go through a cached
// regular expression; everything else through a direct matcher.
func matchPattern(pat, s string) bool {
	if strings.Contains(pat, "@(!(") {
		pat = unwrapSingleAt(pat)
	}
	if i, j := negExtGlob(pat); i >= 0 {
		return matchNegated(pat, i, j, s)
	}
	if hasExtGlob(pat) {
		rx := cachedRegexp(pat, pattern.EntireString|pattern.ExtendedOperators)
		return rx != nil && rx.MatchString(s)
	}
	return globMatch(pat, s)
}

// unwrapSingleAt drops @( ) around a single alternative, so that a !( )
// inside it is seen at the top (eg6/a@(!(c|d))).
func unwrapSingleAt(pat string) string {
	for i := 0; i+1 < len(pat); i++ {
		if pat[i] == '\\' {
			i++
			continue
		}
		if pat[i] != '@' || pat[i+1] != '(' {
			continue
		}
		end, bar := extGlobGroup(pat, i+1)
		if end > 0 && !bar {
			return pat[:i] + pat[i+2:end] + unwrapSingleAt(pat[end+1:])
		}
	}
	return pat
}

// negExtGlob finds the first !( ... ) of pat: the index of ! and of its
// closing parenthesis, or -1, -1.
func negExtGlob(pat string) (int, int) {
	for i := 0; i+1 < len(pat); i++ {
		if pat[i] == '\\' {
			i++
			continue
		}
		if pat[i] != '!' || pat[i+1] != '(' {
			continue
		}
		if end, _ := extGlobGroup(pat, i+1); end > 0 {
			return i, end
		}
		return -1, -1
	}
	return -1, -1
}

// extGlobGroup scans the parenthesised group that opens at pat[open]: it
// returns the index of its closing parenthesis (-1 when unclosed) and
// whether it has more than one alternative (a | at its own level).
func extGlobGroup(pat string, open int) (end int, bar bool) {
	depth := 0
	for j := open; j < len(pat); j++ {
		switch pat[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j, bar
			}
		case '|':
			if depth == 1 {
				bar = true
			}
		}
	}
	return -1, bar
}

// matchNegated matches s against pat whose !( ... ) spans pat[i:j+1]
// (regular expressions cannot say "anything but"): some split of s has
// its head match what precedes, its middle match none of the
// alternatives, and its tail match what follows.
func matchNegated(pat string, i, j int, s string) bool {
	prefix, alts, suffix := pat[:i], "@("+pat[i+2:j]+")", pat[j+1:]
	for a := 0; a <= len(s); a++ {
		if a < len(s) && !utf8.RuneStart(s[a]) {
			continue
		}
		if !matchPattern(prefix, s[:a]) {
			continue
		}
		for b := a; b <= len(s); b++ {
			if b < len(s) && !utf8.RuneStart(s[b]) {
				continue
			}
			if !matchPattern(alts, s[a:b]) && matchPattern(suffix, s[b:]) {
				return true
			}
		}
	}
	return false
}

func hasExtGlob(pat string) bool {
	for i := 0; i+1 < len(pat); i++ {
		if pat[i] == '\\' {
			i++
			continue
		}
		if pat[i+1] == '(' && strings.IndexByte("?*+@!", pat[i]) >= 0 {
			return true
		}
	}
	return false
}

// isLiteralPattern reports whether pat matches only itself: no glob
// character, no backslash, no extended glob.
func isLiteralPattern(pat string) bool {
	return !strings.ContainsAny(pat, "*?[\\") && !hasExtGlob(pat)
}

var regexpCache sync.Map // pattern+mode → *regexp.Regexp

func cachedRegexp(pat string, mode pattern.Mode) *regexp.Regexp {
	key := string(rune(mode)) + pat
	if v, ok := regexpCache.Load(key); ok {
		return v.(*regexp.Regexp)
	}
	expr, err := pattern.Regexp(pat, mode)
	if err != nil {
		return nil
	}
	rx, err := regexp.Compile(expr)
	if err != nil {
		return nil
	}
	regexpCache.Store(key, rx)
	return rx
}

// globMatch matches with the classic star-backtracking algorithm.
func globMatch(pat, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(s) || px < len(pat) {
		if px < len(pat) {
			c := pat[px]
			switch c {
			case '*':
				starP, starS = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					_, n := utf8.DecodeRuneInString(s[sx:])
					px++
					sx += n
					continue
				}
			case '[':
				if sx < len(s) {
					r, n := utf8.DecodeRuneInString(s[sx:])
					ok, end, valid := matchBracket(pat, px, r)
					if !valid {
						// a lone '[' matches itself
						if s[sx] == '[' {
							px++
							sx++
							continue
						}
					} else if ok {
						px = end
						sx += n
						continue
					}
				}
			case '\\':
				if px+1 < len(pat) {
					if sx < len(s) && s[sx] == pat[px+1] {
						px += 2
						sx++
						continue
					}
					break
				}
				fallthrough
			default:
				if sx < len(s) && s[sx] == c {
					px++
					sx++
					continue
				}
			}
		}
		if starP >= 0 && starS < len(s) {
			_, n := utf8.DecodeRuneInString(s[starS:])
			starS += n
			px, sx = starP+1, starS
			continue
		}
		return false
	}
	return true
}

// matchBracket matches r against the bracket expression at pat[i]. It
// returns whether it matched, the index after the expression, and whether
// the expression was well formed.
func matchBracket(pat string, i int, r rune) (matched bool, end int, valid bool) {
	i++ // skip [
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate = true
		i++
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return matched != negate, i + 1, true
		}
		first = false
		if pat[i] == '[' && i+1 < len(pat) && pat[i+1] == ':' {
			if j := strings.Index(pat[i+2:], ":]"); j >= 0 {
				class := pat[i+2 : i+2+j]
				if classMatch(class, r) {
					matched = true
				}
				i += j + 4
				continue
			}
		}
		lo, n := utf8.DecodeRuneInString(pat[i:])
		if pat[i] == '\\' && i+1 < len(pat) {
			lo, n = utf8.DecodeRuneInString(pat[i+1:])
			n++
		}
		i += n
		hi := lo
		if i+1 < len(pat) && pat[i] == '-' && pat[i+1] != ']' {
			i++
			h, n := utf8.DecodeRuneInString(pat[i:])
			if pat[i] == '\\' && i+1 < len(pat) {
				h, n = utf8.DecodeRuneInString(pat[i+1:])
				n++
			}
			hi = h
			i += n
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return false, 0, false
}

func classMatch(class string, r rune) bool {
	switch class {
	case "alpha":
		return unicode.IsLetter(r)
	case "digit":
		return r >= '0' && r <= '9'
	case "alnum":
		return unicode.IsLetter(r) || unicode.IsDigit(r)
	case "upper":
		return unicode.IsUpper(r)
	case "lower":
		return unicode.IsLower(r)
	case "space":
		return unicode.IsSpace(r)
	case "blank":
		return r == ' ' || r == '\t'
	case "punct":
		return r < 128 && unicode.IsPunct(r) || r < 128 && unicode.IsSymbol(r)
	case "print":
		return unicode.IsPrint(r)
	case "graph":
		return unicode.IsPrint(r) && r != ' '
	case "cntrl":
		return unicode.IsControl(r)
	case "xdigit":
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F'
	}
	return false
}

// removePattern implements ${v#p} ${v##p} ${v%p} ${v%%p}.
func removePattern(s, pat string, op syntax.ParExpOperator) string {
	if pat == "" {
		return s
	}
	ext := hasExtGlob(pat)
	if !ext {
		if out, ok := removeSimple(s, pat, op); ok {
			return out
		}
	}
	match := globMatch
	if ext {
		match = matchPattern
	}
	switch op {
	case syntax.RemSmallPrefix:
		for i := 0; i <= len(s); i++ {
			if i == len(s) || utf8.RuneStart(s[i]) {
				if match(pat, s[:i]) {
					return s[i:]
				}
			}
		}
	case syntax.RemLargePrefix:
		for i := len(s); i >= 0; i-- {
			if i == len(s) || utf8.RuneStart(s[i]) {
				if match(pat, s[:i]) {
					return s[i:]
				}
			}
		}
	case syntax.RemSmallSuffix:
		for i := len(s); i >= 0; i-- {
			if i == len(s) || utf8.RuneStart(s[i]) {
				if match(pat, s[i:]) {
					return s[:i]
				}
			}
		}
	case syntax.RemLargeSuffix:
		for i := 0; i <= len(s); i++ {
			if i == len(s) || utf8.RuneStart(s[i]) {
				if match(pat, s[i:]) {
					return s[:i]
				}
			}
		}
	}
	return s
}

// removeSimple does the pattern removals whose pattern is a literal string
// L, "*L" or "L*" (by far the most common: ${p##*/}, ${f%.*}, ${s#*=})
// with string searches instead of a match at every position. It reports
// false for any other pattern.
func removeSimple(s, pat string, op syntax.ParExpOperator) (string, bool) {
	lead := pat[0] == '*'
	trail := !lead && pat[len(pat)-1] == '*'
	lit := pat
	switch {
	case lead:
		lit = pat[1:]
	case trail:
		lit = pat[:len(pat)-1]
	}
	if !isLiteralPattern(lit) || hasExtGlob(pat) {
		return "", false
	}
	switch op {
	case syntax.RemSmallPrefix, syntax.RemLargePrefix:
		if lead {
			i := strings.Index(s, lit)
			if op == syntax.RemLargePrefix {
				i = strings.LastIndex(s, lit)
			}
			if i < 0 {
				return s, true
			}
			return s[i+len(lit):], true
		}
		if !strings.HasPrefix(s, lit) {
			return s, true
		}
		if trail && op == syntax.RemLargePrefix {
			return "", true
		}
		return s[len(lit):], true
	case syntax.RemSmallSuffix, syntax.RemLargeSuffix:
		if trail {
			i := strings.LastIndex(s, lit)
			if op == syntax.RemLargeSuffix {
				i = strings.Index(s, lit)
			}
			if i < 0 {
				return s, true
			}
			return s[:i], true
		}
		if !strings.HasSuffix(s, lit) {
			return s, true
		}
		if lead && op == syntax.RemLargeSuffix {
			return "", true
		}
		return s[:len(s)-len(lit)], true
	}
	return "", false
}
