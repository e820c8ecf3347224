package shell

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"mvdan.cc/sh/v3/syntax"
)

// The parser checks the syntax of $((...)) with the rest of the script, so
// one bad arithmetic expansion would stop a whole script before it ran.
// Shells expand the text of $((...)) first and parse the result only
// then, so that $(( ${base}#7 )) works and a bad expression is an error of
// that one expansion, when it is evaluated (ending a non-interactive shell,
// or the subshell it is in). deferArithErrors rewrites a $((...)) that the
// parser rejects into ${__spork_arith__-text}, keeping the text's lines;
// deferredArith expands the text and evaluates it when the word is.

// arithErrorParam is the parameter of a deferred arithmetic expansion.
const arithErrorParam = "__spork_arith__"

// isDeferredArith reports whether pe is a deferred $((...)).
func isDeferredArith(pe *syntax.ParamExp) bool {
	return pe.Param != nil && pe.Param.Value == arithErrorParam && pe.Exp != nil && pe.Exp.Op == syntax.DefaultUnset
}

// deferredArith expands the text of a deferred $((...)) as in double
// quotes, then parses and evaluates it.
func (r *Runner) deferredArith(pe *syntax.ParamExp) (string, error) {
	text, err := r.operandWord(pe.Exp.Word, true)
	if err != nil {
		return "", err
	}
	if strings.TrimSpace(text) == "" {
		return "0", nil
	}
	x, err := parseArithParens(text)
	if err != nil {
		return "", err
	}
	n, err := r.arith(x)
	if err != nil {
		return "", err
	}
	return itoa(n), nil
}

// arithSyntaxError words the parser's complaint about arithmetic text as
// bash does where the parser says enough: an operator without an operand
// before or after it is "operand expected", the error token being the
// text from that operator on ("5 + : syntax error: operand expected (error
// token is "+ ")"); anything else is "syntax error in expression". The
// parser read the text with skip bytes in front of it.
func arithSyntaxError(text string, err error, skip int) arithError {
	expr := strings.TrimLeft(text, " \t\n")
	var pe syntax.ParseError
	if errors.As(err, &pe) && (strings.HasSuffix(pe.Text, "must be followed by an expression") || strings.HasSuffix(pe.Text, "must follow an expression")) {
		if at := int(pe.Pos.Offset()) - skip; at >= 0 && at < len(text) {
			return arithError{expr, "syntax error: operand expected", text[at:]}
		}
	}
	return arithError{strings.TrimSpace(text), "syntax error in expression", ""}
}

// parseArithParens parses text in parentheses, so that the parser must
// read all of it: the text of a deferred $((...)) or a declare -i value.
func parseArithParens(text string) (syntax.ArithmExpr, error) {
	x, err := syntaxArith("(" + text + ")")
	if err != nil || x == nil {
		return nil, arithSyntaxError(text, err, 1)
	}
	return x, nil
}

// parseArithText parses t, an arithmetic expression given as text (a
// variable's value, an argument of let). All of t must be one expression,
// as bash reads it: "4 @ 5" is an error, not 4. Errors are worded as
// bash words them.
func parseArithText(t string) (syntax.ArithmExpr, error) {
	x, err := syntaxArith(t)
	if err != nil || x == nil {
		if ae := arithSyntaxError(t, err, 0); ae.token != "" {
			return nil, ae // operand expected
		}
		return nil, arithError{t, "syntax error: invalid arithmetic operator", t}
	}
	if end := int(x.End().Offset()); end >= 0 && end < len(t) {
		if rest := strings.TrimLeft(t[end:], " \t\n"); rest != "" {
			msg := "syntax error: invalid arithmetic operator"
			if c := rest[0]; c == '_' || c == ')' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				msg = "syntax error in expression"
			}
			return nil, arithError{t, msg, rest}
		}
	}
	return x, nil
}

// deferArithErrors rewrites every $((...)) the parser rejects in src; ok is
// false when an error is not inside an arithmetic expansion.
func deferArithErrors(src string, err error) (string, bool) {
	return mendParseErrors(src, err, true)
}

// mendParseErrors is deferArithErrors; with badSubst false, a ${...} that is
// no known form stays a syntax error.
func mendParseErrors(src string, err error, badSubst bool) (string, bool) {
	changed, heredocEnded := false, false
	for range 32 {
		var pe syntax.ParseError
		if !errors.As(err, &pe) {
			// another shell's form (zsh's ${(k)x}), in a branch bash
			// never runs: a bad substitution when evaluated
			var le syntax.LangError
			if !badSubst || !errors.As(err, &le) {
				return src, changed
			}
			// (the error is at the "$": look from the "{")
			start, end, found := paramAround(src, int(le.Pos.Offset())+1)
			if !found {
				return src, changed
			}
			src = src[:start] + badSubstWord(src[start:end]) + src[end:]
			changed = true
			if _, err = newParser().Parse(strings.NewReader(src), ""); err == nil {
				return src, true
			}
			continue
		}
		start, end, found := arithAround(src, int(pe.Pos.Offset()))
		if delim, ok := unclosedHeredoc(pe.Text); ok && !heredocEnded {
			// a here-document that runs to the end of the text ends
			// there, as in dash and bash
			heredocEnded = true
			if !strings.HasSuffix(src, "\n") {
				src += "\n"
			}
			src += delim + "\n"
		} else if at, ok := builtinAround(src, int(pe.Pos.Offset()), declWordRe()); ok && pe.Text == "invalid var name" {
			// export a-b=1: the builtin's error (status 1), not the
			// script's syntax error, as in bash
			src = src[:at] + "builtin " + src[at:]
		} else if found {
			src = src[:start] + "${" + arithErrorParam + "-" + src[start+3:end] + "}" + src[end+2:]
		} else if start, end, found = paramAround(src, int(pe.Pos.Offset())); found && caseToggleRe().MatchString(src[start:end]) {
			// ${x~~} and ${x~}, which the parser does not know
			m := caseToggleRe().FindStringSubmatch(src[start:end])
			src = src[:start] + "${" + caseToggleParam + "-" + m[1] + m[2] + "}" + src[end:]
		} else if found && spacedSubscriptRe().MatchString(src[start:end]) {
			// ${m[key with space]}: an associative array's key, quoted
			m := spacedSubscriptRe().FindStringSubmatch(src[start:end])
			src = src[:start] + "${" + m[1] + "[\"" + m[2] + "\"]" + m[3] + "}" + src[end:]
		} else if found && strings.HasPrefix(src[start:end], "${!-") {
			// ${!-word}: $! with a default, not an indirection of $-;
			// as $! is never set and empty, it is ${!:-word}
			src = src[:start] + "${!:-" + src[start+4:]
		} else if found && badSubst {
			// a ${...} the parser rejects is a "bad substitution" when
			// evaluated
			src = src[:start] + badSubstWord(src[start:end]) + src[end:]
		} else if open, ok := subshellParens(src, int(pe.Pos.Offset())); ok {
			// ((cmd) | cmd): two subshells, not arithmetic (bash)
			src = src[:open+1] + " " + src[open+1:]
		} else if fixed, ok := heredocParamWord(src, int(pe.Pos.Offset())); ok && pe.Text == "expansions not allowed in heredoc words" {
			src = fixed
		} else if at, ok := builtinAround(src, int(pe.Pos.Offset()), letWordRe()); ok {
			// let's arguments the parser cannot read as expressions
			// (let x=y*3 # comment) are words for the builtin
			src = src[:at] + "builtin " + src[at:]
		} else {
			return src, changed
		}
		changed = true
		if _, err = newParser().Parse(strings.NewReader(src), ""); err == nil {
			return src, true
		}
	}
	return src, changed
}

// badSubstWord is what stands for text, a ${...} the parser rejects: a
// parameter whose expansion reports text as a bad substitution.
func badSubstWord(text string) string {
	text = strings.NewReplacer("'", "", "\\", "", "\n", " ").Replace(text)
	return "${" + badSubstParam + "?'" + text + "'}"
}

// unclosedHeredoc returns the delimiter of the here-document that a
// parse error message says is not closed.
func unclosedHeredoc(msg string) (string, bool) {
	d, ok := strings.CutPrefix(msg, "unclosed here-document `")
	if !ok || !strings.HasSuffix(d, "`") || strings.Contains(d, "\n") {
		return "", false
	}
	return strings.TrimSuffix(d, "`"), true
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

// subshellParens finds a "((" at the start of a command or after "$",
// holding offset, whose first closing parenthesis is not followed by
// another one, as in "((cmd) | cmd)" or "$( (cmd) )": a subshell in a
// subshell (or in a command substitution), which the parser took for
// arithmetic, as bash reads it. It returns the index of "((".
func subshellParens(src string, offset int) (int, bool) {
	for s := strings.LastIndex(src[:min(offset+1, len(src))], "(("); s >= 0; s = strings.LastIndex(src[:s], "((") {
		pre := strings.TrimRight(src[:s], " \t")
		if k := strings.LastIndexAny(pre, " \t\n;&|(){"); !(pre == "" || strings.ContainsRune("\n;&|({`", rune(pre[len(pre)-1])) || s > 0 && src[s-1] == '$') &&
			!(k >= 0 && isCommandPrefixWord(pre[k+1:]) || k < 0 && isCommandPrefixWord(pre)) {
			continue
		}
		depth := 2
	scan:
		for i := s + 2; i < len(src); i++ {
			switch src[i] {
			case '\'':
				if j := strings.IndexByte(src[i+1:], '\''); j >= 0 {
					i += j + 1
				}
			case '"':
				for i++; i < len(src) && src[i] != '"'; i++ {
					if src[i] == '\\' {
						i++
					}
				}
			case '\\':
				i++
			case '(':
				depth++
			case ')':
				depth--
				if depth == 1 {
					if (i+1 >= len(src) || src[i+1] != ')') && offset <= i {
						return s, true
					}
					break scan
				}
			}
		}
	}
	return 0, false
}

// isCommandPrefixWord reports whether a command can follow word.
func isCommandPrefixWord(w string) bool {
	switch w {
	case "then", "do", "else", "elif", "if", "while", "until", "!", "time":
		return true
	}
	return false
}

// badSubstParam is the parameter of a deferred bad substitution.
const badSubstParam = "__spork_bad_subst__"

// paramAround finds the innermost ${...} that holds offset: its start and
// the index after its closing brace.
func paramAround(src string, offset int) (start, end int, found bool) {
	for s := strings.LastIndex(src[:min(offset+1, len(src))], "${"); s >= 0; s = strings.LastIndex(src[:s], "${") {
		depth := 0
		for i := s + 2; i < len(src); i++ {
			switch src[i] {
			case '{':
				depth++
				continue
			case '\n':
			case '}':
				if depth > 0 {
					depth--
					continue
				}
				if i >= offset {
					return s, i + 1, true
				}
			default:
				continue
			}
			break
		}
	}
	return 0, 0, false
}

// caseToggleParam is the parameter of a deferred ${x~~} or ${x~}.
const caseToggleParam = "__spork_case_toggle__"

// The two patterns are compiled on first use, not at start-up: every
// `spork -c` would pay for them otherwise.
var (
	spacedSubscriptRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\$\{([#!]?[A-Za-z_][A-Za-z0-9_]*)\[([^]"'$\x60\\]* [^]"'$\x60\\]*)\](.*)\}$`)
	})
	caseToggleRe = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`^\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9]+)(~~?)\}$`)
	})
)

// isCaseToggle reports whether pe is a deferred ${x~~} or ${x~}.
func isCaseToggle(pe *syntax.ParamExp) bool {
	return pe.Param != nil && pe.Param.Value == caseToggleParam && pe.Exp != nil && pe.Exp.Op == syntax.DefaultUnset
}

// caseToggle expands a deferred ${x~~} (every letter's case swapped) or
// ${x~} (the first letter's).
func (r *Runner) caseToggle(pe *syntax.ParamExp) string {
	spec := pe.Exp.Word.Lit()
	name := strings.TrimRight(spec, "~")
	all := strings.HasSuffix(spec, "~~")
	var b strings.Builder
	for i, c := range r.getString(name) {
		if i == 0 || all {
			switch {
			case unicode.IsUpper(c):
				c = unicode.ToLower(c)
			case unicode.IsLower(c):
				c = unicode.ToUpper(c)
			}
		}
		b.WriteRune(c)
	}
	return b.String()
}

// commandWordRe matches one of names (an alternation) as a command word;
// the pattern is compiled on first use.
func commandWordRe(names string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?:^|[\s;&|({])(` + names + `)\s`)
	})
}

var (
	declWordRe = commandWordRe("export|local|readonly|declare|typeset")
	letWordRe  = commandWordRe("let")
)

// builtinAround finds the builtin that re matches whose arguments hold
// offset, on the same line: the offset of its name.
func builtinAround(src string, offset int, re *regexp.Regexp) (int, bool) {
	line := src[:min(offset, len(src))]
	start := strings.LastIndexByte(line, '\n') + 1
	m := re.FindAllStringSubmatchIndex(line[start:], -1)
	if len(m) == 0 {
		return 0, false
	}
	at := start + m[len(m)-1][2]
	if strings.HasSuffix(src[:at], "builtin ") {
		return 0, false
	}
	return at, true
}

// heredocParamWord rewrites a here-document delimiter like ${a} or $a at
// offset, which shells take literally, and the line that ends the
// document, into a word the parser accepts.
func heredocParamWord(src string, offset int) (string, bool) {
	if offset+1 >= len(src) || src[offset] != '$' || src[offset+1] == '(' {
		return src, false
	}
	end := offset
	for end < len(src) && !strings.ContainsRune(" \t\n;&|<>()", rune(src[end])) {
		end++
	}
	word := src[offset:end]
	dash := strings.HasSuffix(strings.TrimRight(src[:offset], " \t"), "<<-")
	nl := strings.IndexByte(src[end:], '\n')
	if nl < 0 {
		return src, false
	}
	tok := "__spork_heredoc_" + itoa(offset) + "__"
	for at := end + nl + 1; at < len(src); {
		lineEnd := strings.IndexByte(src[at:], '\n')
		if lineEnd < 0 {
			lineEnd = len(src) - at
		}
		line := src[at : at+lineEnd]
		if dash {
			line = strings.TrimLeft(line, "\t")
		}
		if line == word {
			start := at + lineEnd - len(word)
			src = src[:start] + tok + src[start+len(word):]
			return src[:offset] + tok + src[end:], true
		}
		at += lineEnd + 1
	}
	return src, false
}
