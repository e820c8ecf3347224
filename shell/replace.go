package shell

import (
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/syntax"
)

// Pattern substitution, ${x/pat/with}, ${x//pat/with}, and the anchored
// ${x/#pat/with} and ${x/%pat/with} (which expand does not know), with
// spork's own pattern matcher.

// replaceSpec is a parsed ${x/pat/with}: the pattern, its anchor ('#' for
// the start, '%' for the end, 0 for anywhere) and the replacement.
type replaceSpec struct {
	pat    string
	anchor byte
	all    bool
	with   string
}

// replaceSpecOf expands the pattern and replacement of repl; quoted tells
// whether the expansion is inside double quotes.
func (r *Runner) replaceSpecOf(repl *syntax.Replace, quoted bool) (replaceSpec, error) {
	sp := replaceSpec{all: repl.All}
	orig := repl.Orig
	if !repl.All && orig != nil && len(orig.Parts) > 0 {
		if l, ok := orig.Parts[0].(*syntax.Lit); ok && l.Value != "" && (l.Value[0] == '#' || l.Value[0] == '%') {
			sp.anchor = l.Value[0]
			parts := append([]syntax.WordPart(nil), orig.Parts...)
			if len(l.Value) == 1 {
				parts = parts[1:]
			} else {
				parts[0] = &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: l.Value[1:]}
			}
			orig = &syntax.Word{Parts: parts}
		}
	}
	var err error
	if orig != nil && len(orig.Parts) > 0 {
		if sp.pat, err = r.patternOf(orig); err != nil {
			return sp, err
		}
	}
	if repl.With != nil {
		if sp.with, err = r.operandWord(repl.With, quoted); err != nil {
			return sp, err
		}
	}
	return sp, nil
}

// apply performs the substitution on s. The longest match at the leftmost
// position wins, as in bash; an empty pattern changes nothing unless
// anchored.
func (sp replaceSpec) apply(s string) string {
	if sp.pat != "" && isLiteralPattern(sp.pat) {
		// a literal: found directly, not by trying every substring (which
		// takes minutes on a 100 kB value)
		switch {
		case sp.anchor == '#' && strings.HasPrefix(s, sp.pat):
			return sp.with + s[len(sp.pat):]
		case sp.anchor == '%' && strings.HasSuffix(s, sp.pat):
			return s[:len(s)-len(sp.pat)] + sp.with
		case sp.anchor == 0 && sp.all:
			return strings.ReplaceAll(s, sp.pat, sp.with)
		case sp.anchor == 0:
			return strings.Replace(s, sp.pat, sp.with, 1)
		}
		return s
	}
	switch sp.anchor {
	case '#':
		for j := len(s); j >= 0; j-- {
			if matchPattern(sp.pat, s[:j]) {
				return sp.with + s[j:]
			}
		}
		return s
	case '%':
		for i := 0; i <= len(s); i++ {
			if matchPattern(sp.pat, s[i:]) {
				return s[:i] + sp.with
			}
		}
		return s
	}
	if sp.pat == "" {
		return s
	}
	var b strings.Builder
	i := 0
	done := false
	for i < len(s) && !done {
		end := -1
		for j := len(s); j > i; j-- {
			if matchPattern(sp.pat, s[i:j]) {
				end = j
				break
			}
		}
		if end < 0 {
			_, n := utf8.DecodeRuneInString(s[i:])
			b.WriteString(s[i : i+n])
			i += n
			continue
		}
		b.WriteString(sp.with)
		i = end
		done = !sp.all
	}
	b.WriteString(s[i:])
	return b.String()
}
