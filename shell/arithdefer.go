package shell

import (
	"errors"
	"strings"

	"mvdan.cc/sh/v3/syntax"
)

// The parser checks the syntax of $((...)) with the rest of the script, so
// one bad arithmetic expansion would stop a whole script before it ran.
// Shells report it only when the expansion is evaluated (and then end a
// non-interactive shell, or the subshell it is in). deferArithErrors
// rewrites a $((...)) that the parser rejects into an expansion that fails
// when evaluated, ${__spork_arith_error__?expr}, keeping the text's lines.

// arithErrorParam is the parameter a deferred arithmetic error expands.
const arithErrorParam = "__spork_arith_error__"

// deferArithErrors rewrites every $((...)) the parser rejects in src; ok is
// false when an error is not inside an arithmetic expansion.
func deferArithErrors(src string, err error) (string, bool) {
	changed := false
	for range 32 {
		var pe syntax.ParseError
		if !errors.As(err, &pe) {
			return src, changed
		}
		start, end, found := arithAround(src, int(pe.Pos.Offset()))
		if !found {
			return src, changed
		}
		src = src[:start] + "${" + arithErrorParam + "?'" + arithMessage(src[start+3:end]) + "'}" + src[end+2:]
		changed = true
		if _, err = newParser().Parse(strings.NewReader(src), ""); err == nil {
			return src, true
		}
	}
	return src, changed
}

// arithAround finds the innermost closed $((...)) that holds offset: the
// start of its "$((" and the start of its closing "))".
func arithAround(src string, offset int) (start, end int, found bool) {
	for s := strings.LastIndex(src[:min(offset+1, len(src))], "$(("); s >= 0; s = strings.LastIndex(src[:s], "$((") {
		depth := 0
		for i := s + 3; i+1 < len(src); i++ {
			if src[i] == '(' {
				depth++
			} else if src[i] == ')' {
				if depth > 0 {
					depth--
					continue
				}
				if src[i+1] == ')' && i+2 >= offset {
					return s, i, true
				}
				break
			}
		}
	}
	return 0, 0, false
}

// arithMessage makes an expression's text safe inside single quotes.
func arithMessage(expr string) string {
	return strings.NewReplacer("'", "", "\\", "").Replace(strings.TrimSpace(expr))
}
