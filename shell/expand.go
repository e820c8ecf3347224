package shell

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// fields expands words into fields: the arguments of a command. Common
// simple shapes take a fast path; everything else goes through expand.
func (r *Runner) fields(words ...*syntax.Word) ([]string, error) {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if s, ok, err := r.fastWord(w, true); ok || err != nil {
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			continue
		}
		var err error
		out, err = r.expandWordFields(w, out)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// literal expands a word to one string, without field splitting or
// globbing (assignments, case words, redirection targets).
func (r *Runner) literal(w *syntax.Word) (string, error) {
	if w == nil {
		return "", nil
	}
	if s, ok, err := r.fastWord(w, false); ok || err != nil {
		return s, err
	}
	if err := r.positionalErrors(w.Parts); err != nil {
		return "", err
	}
	w, err := r.preArith(w)
	if err != nil {
		return "", err
	}
	return expand.Literal(r.ecfg, unescapeLits(r.leadingTilde(r.assocWord(w))))
}

// leadingTilde returns w with a leading tilde prefix expanded (as a
// quoted part); expand leaves ~ alone when HOME is empty.
func (r *Runner) leadingTilde(w *syntax.Word) *syntax.Word {
	if len(w.Parts) == 0 {
		return w
	}
	l, ok := w.Parts[0].(*syntax.Lit)
	if !ok || !strings.HasPrefix(l.Value, "~") {
		return w
	}
	end := strings.IndexByte(l.Value, '/')
	if end < 0 {
		if len(w.Parts) > 1 {
			return w
		}
		end = len(l.Value)
	}
	home, ok := r.tilde(l.Value[1:end])
	if !ok {
		return w
	}
	parts := []syntax.WordPart{&syntax.SglQuoted{Left: l.ValuePos, Right: l.ValuePos, Value: home}}
	if end < len(l.Value) {
		parts = append(parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: l.Value[end:]})
	}
	return &syntax.Word{Parts: append(parts, w.Parts[1:]...)}
}

// unescapeLits returns w with the backslash escapes of its unquoted
// literal parts turned into quoted parts (expand.Literal keeps the
// backslashes of unquoted text): x=a\ b is "a b", and \~ is no tilde.
func unescapeLits(w *syntax.Word) *syntax.Word {
	var nw *syntax.Word
	for i, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok || strings.IndexByte(l.Value, '\\') < 0 {
			if nw != nil {
				nw.Parts = append(nw.Parts, p)
			}
			continue
		}
		if nw == nil {
			nw = &syntax.Word{Parts: append([]syntax.WordPart(nil), w.Parts[:i]...)}
		}
		s := l.Value
		for {
			j := strings.IndexByte(s, '\\')
			if j < 0 || j == len(s)-1 {
				break
			}
			if j > 0 {
				nw.Parts = append(nw.Parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: s[:j]})
			}
			nw.Parts = append(nw.Parts, &syntax.SglQuoted{Left: l.ValuePos, Right: l.ValuePos, Value: s[j+1 : j+2]})
			s = s[j+2:]
		}
		if s != "" {
			nw.Parts = append(nw.Parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: s})
		}
	}
	if nw == nil {
		return w
	}
	return nw
}

// fastWord expands the simplest word shapes without expand: a plain
// literal, a single-quoted string, "$var", and $((...)). In field context
// (split is true) a shape that could split or glob is left to expand.
func (r *Runner) fastWord(w *syntax.Word, split bool) (string, bool, error) {
	if len(w.Parts) != 1 {
		return "", false, nil
	}
	if cs := soleCmdSubst(w.Parts[0], split); cs != nil {
		s, err := r.substOutput(cs)
		return s, err == nil, err
	}
	if a, ok := w.Parts[0].(*syntax.ArithmExp); ok {
		n, err := r.arithExp(a)
		if err != nil {
			return "", false, err
		}
		s := itoa(n)
		if split && strings.ContainsAny(r.ifs(), "-0123456789") {
			return "", false, nil
		}
		return s, true, nil
	}
	s, ok := r.fastWord1(w, split)
	if err := r.takeParamErr(); err != nil {
		return "", false, err
	}
	return s, ok, nil
}

// takeParamErr returns (and clears) an error elementParam left.
func (r *Runner) takeParamErr() error {
	err := r.paramErr
	r.paramErr = nil
	return err
}

func (r *Runner) fastWord1(w *syntax.Word, split bool) (string, bool) {
	switch p := w.Parts[0].(type) {
	case *syntax.Lit:
		if strings.ContainsAny(p.Value, "\\~{") {
			return "", false
		}
		if split && r.globMeta(p.Value) {
			return "", false
		}
		return p.Value, true
	case *syntax.SglQuoted:
		if p.Dollar {
			return "", false
		}
		return p.Value, true
	case *syntax.DblQuoted:
		if p.Dollar || len(p.Parts) != 1 {
			if len(p.Parts) == 0 && !p.Dollar {
				return "", true
			}
			return "", false
		}
		switch q := p.Parts[0].(type) {
		case *syntax.Lit:
			if strings.IndexByte(q.Value, '\\') >= 0 {
				return "", false
			}
			return q.Value, true
		case *syntax.ParamExp:
			if isWordOperand(q) && hasListWord(q) || split && r.indirectList(q) != nil {
				return "", false // "${x:-${a[@]}}" may be several fields
			}
			return r.fastParam(q, true)
		case *syntax.ArithmExp:
			n, err := r.arithExp(q)
			if err != nil {
				return "", false
			}
			return itoa(n), true
		}
	case *syntax.ParamExp:
		if split {
			return "", false
		}
		return r.fastParam(p, false)
	case *syntax.ArithmExp:
		n, err := r.arithExp(p)
		if err != nil {
			return "", false
		}
		s := itoa(n)
		if split && strings.ContainsAny(r.ifs(), "-0123456789") {
			return "", false
		}
		return s, true
	}
	return "", false
}

// fastParam expands $name and ${name}, the pattern-removal operators on
// plain variables (with our own pattern matcher), and the default,
// alternate and assign operators, whose word it expands only when used
// (expand evaluates it always, running any command substitution in it).
// quoted tells whether the expansion is inside double quotes.
func (r *Runner) fastParam(pe *syntax.ParamExp, quoted bool) (string, bool) {
	pe = r.assocView(pe)
	if isDeferredArith(pe) {
		s, err := r.deferredArith(pe)
		if err != nil {
			return "", false // the general path reports it
		}
		return s, true
	}
	if isCaseToggle(pe) {
		return r.caseToggle(pe), true
	}
	if pe.Repl != nil {
		return r.replaceParam(pe, quoted)
	}
	if pe.Exp != nil && pe.Exp.Op == syntax.OtherParamOps {
		return r.transformParam(pe)
	}
	if pe.Excl && pe.Param != nil && pe.Index == nil && pe.Names == 0 && pe.Exp == nil && pe.Slice == nil &&
		!pe.Length && pe.Repl == nil {
		// ${!ref} where ref names an element, ref='a[1]': expand does not
		// look into the subscript
		v := r.Get(pe.Param.Value)
		if v.Kind == expand.String && strings.HasSuffix(v.Str, "]") && strings.IndexByte(v.Str, '[') > 0 {
			if s, ok := r.elementValue(v.Str); ok {
				return s, true
			}
		}
	}
	if pe.Index != nil {
		if s, ok := r.elementParam(pe); ok {
			return s, true
		}
	}
	if pe.Length && pe.Index != nil && pe.Param != nil && pe.Exp == nil && !pe.Excl {
		// ${#a[@]}: expand counts an associative array as one element
		if iw, ok := pe.Index.(*syntax.Word); ok && (iw.Lit() == "@" || iw.Lit() == "*") {
			v := r.Get(r.refTarget(pe.Param.Value))
			switch {
			case v.Kind == expand.Associative:
				return itoa(len(v.Map)), true
			case v.Kind == expand.Indexed:
				return itoa(len(v.List)), true
			}
		}
	}
	if pe.Param == nil || pe.Excl || pe.Index != nil || pe.Slice != nil || pe.Repl != nil ||
		pe.Names != 0 || pe.Width || pe.IsSet || pe.Flags != nil || pe.NestedParam != nil {
		return "", false
	}
	name := pe.Param.Value
	if name == "@" || name == "*" || name == "LINENO" {
		return "", false
	}
	v := r.Get(name)
	if v.Kind == expand.NameRef || v.Kind == expand.Associative || (v.Kind == expand.Indexed && pe.Length) {
		return "", false
	}
	if pe.Exp != nil && !pe.Length {
		switch op := pe.Exp.Op; op {
		case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
			// the word is expanded only when it is used
			null := !v.IsSet() || (v.String() == "" && (op == syntax.DefaultUnsetOrNull || op == syntax.AlternateUnsetOrNull))
			use := null == (op == syntax.DefaultUnset || op == syntax.DefaultUnsetOrNull)
			if !use {
				if op == syntax.AlternateUnset || op == syntax.AlternateUnsetOrNull {
					return "", true
				}
				return v.String(), true
			}
			w, err := r.operandWord(pe.Exp.Word, quoted)
			if err != nil {
				return "", false
			}
			return w, true
		case syntax.AssignUnset, syntax.AssignUnsetOrNull:
			if !checkName(name) {
				return "", false
			}
			if v.IsSet() && (op == syntax.AssignUnset || v.String() != "") {
				return v.String(), true
			}
			w, err := r.literal(pe.Exp.Word)
			if err != nil || r.setString(name, w) != nil {
				return "", false
			}
			return w, true
		}
	}
	if !v.IsSet() && (r.opts.nounset || pe.Exp != nil) {
		return "", false
	}
	s := v.String()
	if pe.Length {
		if pe.Exp != nil {
			return "", false
		}
		return itoa(utf8.RuneCountInString(s)), true
	}
	if pe.Exp == nil {
		return s, true
	}
	switch pe.Exp.Op {
	case syntax.RemSmallPrefix, syntax.RemLargePrefix, syntax.RemSmallSuffix, syntax.RemLargeSuffix:
	default:
		return "", false
	}
	pat, err := r.patternOf(pe.Exp.Word)
	if err != nil {
		return "", false
	}
	return removePattern(s, pat, pe.Exp.Op), true
}

// preArith evaluates $((...)) parts of a word with our own arithmetic, so
// that expand sees literals; it returns w itself when there are none.
func (r *Runner) preArith(w *syntax.Word) (*syntax.Word, error) {
	if !hasArithPart(w.Parts) {
		return w, nil
	}
	parts, err := r.preArithParts(w.Parts)
	if err != nil {
		return w, err
	}
	return &syntax.Word{Parts: parts}, nil
}

// hasArithPart reports whether parts hold an arithmetic expansion, at the
// top or inside double quotes.
func hasArithPart(parts []syntax.WordPart) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.ArithmExp:
			return true
		case *syntax.ParamExp:
			if isDeferredArith(p) || isCaseToggle(p) {
				return true
			}
		case *syntax.DblQuoted:
			if hasArithPart(p.Parts) {
				return true
			}
		}
	}
	return false
}

func (r *Runner) preArithParts(parts []syntax.WordPart) ([]syntax.WordPart, error) {
	out := make([]syntax.WordPart, len(parts))
	for i, p := range parts {
		switch q := p.(type) {
		case *syntax.ArithmExp:
			n, err := r.arithExp(q)
			if err != nil {
				return nil, err
			}
			out[i] = &syntax.Lit{ValuePos: q.Pos(), ValueEnd: q.End(), Value: itoa(n)}
			continue
		case *syntax.ParamExp:
			if isCaseToggle(q) {
				out[i] = &syntax.Lit{ValuePos: q.Pos(), ValueEnd: q.End(), Value: r.caseToggle(q)}
				continue
			}
			if isDeferredArith(q) {
				s, err := r.deferredArith(q)
				if err != nil {
					return nil, err
				}
				out[i] = &syntax.Lit{ValuePos: q.Pos(), ValueEnd: q.End(), Value: s}
				continue
			}
		case *syntax.DblQuoted:
			if hasArithPart(q.Parts) {
				inner, err := r.preArithParts(q.Parts)
				if err != nil {
					return nil, err
				}
				out[i] = &syntax.DblQuoted{Left: q.Left, Right: q.Right, Dollar: q.Dollar, Parts: inner}
				continue
			}
		}
		out[i] = p
	}
	return out, nil
}

// patternOf expands a word as a pattern: quoted parts match literally.
func (r *Runner) patternOf(w *syntax.Word) (string, error) {
	if w == nil {
		return "", nil
	}
	if len(w.Parts) == 1 {
		if l, ok := w.Parts[0].(*syntax.Lit); ok && strings.IndexByte(l.Value, '$') < 0 && !strings.HasPrefix(l.Value, "~") {
			return l.Value, nil
		}
	}
	w, err := r.preArith(w)
	if err != nil {
		return "", err
	}
	w = r.leadingTilde(w)
	if s, ok, err := r.quotedPattern(w); ok || err != nil {
		return s, err
	}
	return expand.Pattern(r.ecfg, w)
}

// quotedPattern builds a pattern from a word whose parts are literal text,
// quotes and parameter expansions, escaping every character of the quoted
// parts (expand leaves ( ) | unescaped, which extended globs would take as
// operators). ok is false for other words.
func (r *Runner) quotedPattern(w *syntax.Word) (string, bool, error) {
	var b strings.Builder
	for i, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			if i == 0 && strings.HasPrefix(p.Value, "~") {
				return "", false, nil
			}
			b.WriteString(p.Value)
		case *syntax.ExtGlob:
			body, err := r.extGlobBody(p.Pattern.Value)
			if err != nil {
				return "", true, err
			}
			b.WriteString(p.Op.String() + body + ")")
		case *syntax.SglQuoted:
			if p.Dollar {
				return "", false, nil
			}
			b.WriteString(escapePattern(p.Value))
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				if _, ok := q.(*syntax.ParamExp); ok && isListParam(q.(*syntax.ParamExp)) {
					return "", false, nil
				}
				s, err := r.quotedPart(q)
				if err != nil {
					return "", true, err
				}
				b.WriteString(escapePattern(s))
			}
		default:
			return "", false, nil
		}
	}
	return b.String(), true, nil
}

// extGlobBody expands the alternatives of an extended glob, which the
// parser keeps as raw text: --@($a|$b-'x') has parameters and quotes.
func (r *Runner) extGlobBody(body string) (string, error) {
	if !strings.ContainsAny(body, "$'\"`\\") {
		return body, nil
	}
	var out []string
	for _, alt := range splitAlternatives(body) {
		if !strings.ContainsAny(alt, "$'\"`\\") {
			out = append(out, alt)
			continue
		}
		f, err := newParser().Parse(strings.NewReader(": "+alt), "")
		if err != nil || len(f.Stmts) != 1 {
			out = append(out, alt)
			continue
		}
		call, ok := f.Stmts[0].Cmd.(*syntax.CallExpr)
		if !ok || len(call.Args) != 2 {
			out = append(out, alt)
			continue
		}
		pat, err := r.patternOf(call.Args[1])
		if err != nil {
			return "", err
		}
		out = append(out, pat)
	}
	return strings.Join(out, "|"), nil
}

// splitAlternatives splits the body of an extended glob at the | that are
// not nested in parentheses or quoted.
func splitAlternatives(body string) []string {
	var alts []string
	depth, start := 0, 0
	var quote byte
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' {
				i++
			}
		case c == '\\':
			i++
		case c == '\'' || c == '"':
			quote = c
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			alts = append(alts, body[start:i])
			start = i + 1
		}
	}
	return append(alts, body[start:])
}

// escapePattern quotes every pattern character of s.
func escapePattern(s string) string { return backslashChars(s, "*?[]\\()|!@+-^") }

// backslashChars puts a backslash before every byte of s that is in chars.
func backslashChars(s, chars string) string {
	if !strings.ContainsAny(s, chars) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(chars, s[i]) >= 0 {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// cmdSubst runs the statements of $(...) in a subshell and copies what they
// write to standard output into w (for expand, which drops NUL bytes and
// trailing newlines itself; substOutput has done so already).
func (r *Runner) cmdSubst(w io.Writer, cs *syntax.CmdSubst) error {
	s, err := r.substOutput(cs)
	if err != nil {
		return err
	}
	io.WriteString(w, s)
	return nil
}

// substOutput runs the statements of $(...) in a subshell and returns
// what they write to standard output, less NUL bytes and trailing
// newlines. $(<file) reads the file without a subshell.
func (r *Runner) substOutput(cs *syntax.CmdSubst) (string, error) {
	r.hadCmdSubst = true
	if len(cs.Stmts) == 1 && len(cs.Stmts[0].Redirs) == 1 && cs.Stmts[0].Cmd == nil {
		// $(<file)
		rd := cs.Stmts[0].Redirs[0]
		if rd.Op == syntax.RdrIn && rd.N == nil {
			name, err := r.literal(rd.Word)
			if err != nil {
				return "", err
			}
			data, err := os.ReadFile(r.abs(name))
			if err != nil {
				r.errorf("%s: %s", name, ErrorText(err))
				r.cmdSubstSt = 1
				return "", nil
			}
			r.cmdSubstSt = 0
			return substString(data), nil
		}
	}
	if r.traceDepth >= maxNesting {
		// each level holds a thread reading its pipe: stop well before
		// the runtime's limit on threads
		r.errorf("command substitution: maximum nesting level exceeded (%d)", maxNesting)
		r.cmdSubstSt = 2
		r.lastStatus = 2
		return "", nil
	}
	rd, wr, err := pipe()
	if err != nil {
		return "", err
	}
	c := r.subshell()
	c.traps = r.traps.forCmdSubst()
	c.traps.keepTraced(r.traps, &r.opts)
	if !r.opts.posix && !r.shopts["inherit_errexit"] {
		// bash's rule: set -e does not reach into $(...) unless asked
		// (dash's, and POSIX mode's, is to inherit it)
		c.opts.errexit = false
	}
	c.traceDepth++
	c.setFd(1, wr).unref()
	done := make(chan int, 1)
	go func() {
		done <- c.runAsSubshell(func(c *Runner) { c.stmts(cs.Stmts) })
	}()
	out := captureFd(rd.fd)
	rd.unref()
	r.cmdSubstSt = <-done
	r.lastStatus = r.cmdSubstSt
	return out, nil
}

// soleCmdSubst returns the command substitution that is all of a word
// part, $(...) or "$(...)"; unquoted, only where no field splitting
// follows.
func soleCmdSubst(p syntax.WordPart, split bool) *syntax.CmdSubst {
	switch p := p.(type) {
	case *syntax.CmdSubst:
		if !split {
			return p
		}
	case *syntax.DblQuoted:
		if !p.Dollar && len(p.Parts) == 1 {
			if cs, ok := p.Parts[0].(*syntax.CmdSubst); ok {
				return cs
			}
		}
	}
	return nil
}

func (r *Runner) readDir(dir string) ([]fs.DirEntry, error) {
	return os.ReadDir(r.abs(dir))
}

// expandError reports an expansion error; the errors POSIX makes fatal end
// a non-interactive shell.
func (r *Runner) expandError(err error) {
	if r.reportExpandError(err) {
		r.endOnFatalExpansion()
	}
}

// reportExpandError reports an expansion error and says whether it is one
// that ends a non-interactive shell where it is met in a command's words
// (a here-document's body only fails its command, in bash and dash).
func (r *Runner) reportExpandError(err error) (fatal bool) {
	var ue expand.UnsetParameterError
	if errors.As(err, &ue) {
		name := ""
		if ue.Node != nil && ue.Node.Param != nil {
			name = ue.Node.Param.Value
		}
		msg := ue.Message
		if name == badSubstParam {
			r.errorf("%s: bad substitution", msg)
		} else if msg == "unbound variable" {
			r.errorf("%s: parameter not set", name)
		} else {
			if msg == "" {
				msg = "parameter null or not set"
				if ue.Node != nil && ue.Node.Exp != nil && ue.Node.Exp.Op == syntax.ErrorUnset {
					msg = "parameter not set" // ${x?}, as bash and dash
				}
			}
			r.errorf("%s: %s", name, msg)
		}
		return true
	}
	var ce cannotAssignError
	var ae arithError
	switch {
	case errors.As(err, &ce):
		r.errorf("%s", ce.Error())
		return true
	case errors.As(err, &ae):
		r.errorf("%s", ae.Error())
		return true
	}
	r.errorf("%v", err)
	return false
}

// endOnFatalExpansion ends a non-interactive shell, or a subshell, after a
// fatal expansion error was reported.
func (r *Runner) endOnFatalExpansion() {
	if !r.opts.interactive || r.subshellDepth > 0 {
		r.exit(1) // as bash and osh (dash uses 2)
	}
}

// assign performs one assignment of a command without arguments (or for a
// special builtin).
func (r *Runner) assign(as *syntax.Assign, local bool) error {
	name := as.Name.Value
	op := "="
	if as.Append {
		op = "+="
	}
	if as.Array != nil {
		if r.opts.xtrace {
			r.trace(name + op + arraySource(as.Array)) // as written, as bash shows it
		}
		return r.fatalAssign(r.assignArray(as))
	}
	val, err := r.assignValue(as)
	if err != nil {
		return err
	}
	if r.opts.xtrace {
		lhs := name
		if as.Index != nil {
			lhs += "[" + indexSource(as.Index) + "]"
		}
		r.trace(lhs + op + shellQuote(val))
	}
	if as.Index != nil {
		return r.fatalAssign(r.assignIndex(as, val))
	}
	if as.Append {
		old := r.Get(name)
		if old.Kind == expand.Indexed {
			return r.appendArray(as, []string{val})
		}
		if a := r.attrOf(r.refTarget(name)); a&attrInt != 0 {
			// x+=v with declare -i adds
			n, err := r.arithValue(val)
			if err != nil {
				r.expandError(err)
				return err
			}
			o, _ := r.arithValue(old.String())
			val = itoa(o + n)
		} else if old.Kind == expand.String || !old.IsSet() {
			val = old.String() + val
		}
	}
	if err := r.setString(name, val); err != nil {
		r.errorf("%s", assignErr(name, err))
		if !r.opts.interactive && r.evalDepth == 0 {
			r.exit(1) // as bash and osh; dash uses 2
		}
		return err
	}
	return nil
}

// indexSource is a subscript as written.
func indexSource(x syntax.ArithmExpr) string {
	if w, ok := x.(*syntax.Word); ok {
		return printNode(w)
	}
	return arithSource(x)
}

// arraySource is the (...) of a compound assignment as written.
func arraySource(a *syntax.ArrayExpr) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, el := range a.Elems {
		if i > 0 {
			b.WriteByte(' ')
		}
		if el.Index != nil {
			b.WriteString("[" + indexSource(el.Index) + "]=")
		}
		if el.Value != nil {
			b.WriteString(printNode(el.Value))
		}
	}
	b.WriteByte(')')
	return b.String()
}

// fatalAssign ends a non-interactive shell after an array assignment to a
// read-only variable or out of range (the error is printed), as for a
// read-only scalar (bash abandons only the rest of the line).
func (r *Runner) fatalAssign(err error) error {
	var ro varReadOnlyError
	if (errors.As(err, &ro) || errors.Is(err, errBadSubscript)) && !r.opts.interactive && r.evalDepth == 0 {
		r.exit(1)
	}
	return err
}

// assignValue expands the value of an assignment.
func (r *Runner) assignValue(as *syntax.Assign) (string, error) {
	if as.Value == nil {
		return "", nil
	}
	s, err := r.literal(r.assignTildes(as.Value))
	if err != nil {
		r.expandError(err)
		return "", err
	}
	return s, nil
}

// assignTildes returns w with the tilde prefixes that follow an unquoted
// colon expanded, as assignments do (PATH=~/bin:~/sbin); the leading one is
// left to the general expansion.
func (r *Runner) assignTildes(w *syntax.Word) *syntax.Word {
	var nw *syntax.Word
	for i, p := range w.Parts {
		l, ok := p.(*syntax.Lit)
		if !ok || !strings.Contains(l.Value, ":~") {
			if nw != nil {
				nw.Parts = append(nw.Parts, p)
			}
			continue
		}
		if nw == nil {
			nw = &syntax.Word{Parts: append([]syntax.WordPart(nil), w.Parts[:i]...)}
		}
		last := i == len(w.Parts)-1
		s := l.Value
		var lit strings.Builder
		flush := func() {
			if lit.Len() > 0 {
				nw.Parts = append(nw.Parts, &syntax.Lit{ValuePos: l.ValuePos, ValueEnd: l.ValueEnd, Value: lit.String()})
				lit.Reset()
			}
		}
		for j := 0; j < len(s); j++ {
			lit.WriteByte(s[j])
			if s[j] == '\\' && j+1 < len(s) {
				j++
				lit.WriteByte(s[j])
				continue
			}
			if s[j] != ':' || j+1 >= len(s) || s[j+1] != '~' {
				continue
			}
			end := j + 2
			for end < len(s) && s[end] != '/' && s[end] != ':' {
				end++
			}
			if end == len(s) && !last {
				continue
			}
			home, ok := r.tilde(s[j+2 : end])
			if !ok {
				continue
			}
			flush()
			nw.Parts = append(nw.Parts, &syntax.SglQuoted{Left: l.ValuePos, Right: l.ValuePos, Value: home})
			j = end - 1
		}
		flush()
	}
	if nw == nil {
		return w
	}
	return nw
}

// shellQuote quotes s for xtrace output: unquoted when safe, $'...' for
// control characters (tabs and newlines too, so that a trace stays on one
// line), \' for a lone quote, otherwise in single quotes.
func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size <= 1 || r < ' ' || r == 0x7f {
			return ansicQuote(s)
		}
		i += size
	}
	if s == "'" {
		return `\'`
	}
	if !hasShellMeta(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// hasShellMeta reports whether s has a character the shell would not take
// literally in a word.
func hasShellMeta(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case ' ', '\t', '\n', '\'', '"', '\\', '|', '&', ';', '(', ')', '<', '>', '!', '{', '}',
			'*', '[', '?', ']', '^', '$', '`':
			return true
		case '~', '#':
			if i == 0 {
				return true
			}
		}
	}
	return false
}

// trace writes one xtrace line with PS4.
func (r *Runner) trace(line string) {
	ps4 := r.getString("PS4")
	if strings.ContainsAny(ps4, "$`") {
		// commands PS4 runs are not traced: each would expand PS4 again
		saved := r.opts.xtrace
		r.opts.xtrace = false
		if s, err := r.expandPromptVar(ps4); err == nil {
			ps4 = s
		}
		r.opts.xtrace = saved
	}
	var b bytes.Buffer
	if ps4 != "" {
		for range r.traceDepth {
			b.WriteByte(ps4[0]) // as bash marks nesting
		}
	}
	b.WriteString(ps4)
	b.WriteString(line)
	b.WriteByte('\n')
	if r.traceFile != nil {
		writeFd(r.traceFile.fd, b.Bytes())
		return
	}
	fdWriter{r, 2}.Write(b.Bytes())
}

func (r *Runner) traceCall(assigns []*syntax.Assign, args []string) {
	for _, as := range assigns {
		if as.Array == nil && as.Index == nil {
			r.trace(as.Name.Value + "=" + shellQuote(r.getString(as.Name.Value)))
		}
	}
	var parts []string
	for _, a := range args {
		parts = append(parts, shellQuote(a))
	}
	r.trace(strings.Join(parts, " "))
}

// expandPromptVar expands parameters in a prompt string such as PS4.
func (r *Runner) expandPromptVar(s string) (string, error) {
	if !strings.ContainsAny(s, "$`") {
		return s, nil
	}
	p := syntax.NewParser()
	w, err := p.Document(strings.NewReader(s))
	if err != nil {
		return s, err
	}
	r.linenoParts(w.Parts)
	return expand.Document(r.ecfg, w)
}

// linenoWords returns words with $LINENO standing for the current line
// rather than the line it is written on, as bash has it in the word list of
// a for loop continued over several lines ("for x in \<newline> $LINENO"
// gives the for's line). Words without $LINENO are returned as they are;
// the others are copied, the tree is not changed.
func (r *Runner) linenoWords(words []*syntax.Word) []*syntax.Word {
	var out []*syntax.Word
	for i, w := range words {
		if !hasLineno(w.Parts) {
			if out != nil {
				out[i] = w
			}
			continue
		}
		if out == nil {
			out = slices.Clone(words)
		}
		c := *w
		c.Parts = cloneDblQuoted(w.Parts)
		r.linenoParts(c.Parts)
		out[i] = &c
	}
	if out == nil {
		return words
	}
	return out
}

// isPlainLineno reports whether p is $LINENO or ${LINENO}, with no
// operator: what linenoParts replaces.
func isPlainLineno(p *syntax.ParamExp) bool {
	return p.Param != nil && p.Param.Value == "LINENO" && p.Exp == nil && !p.Length &&
		p.Index == nil && p.Slice == nil && p.Repl == nil && !p.Excl
}

// hasLineno reports whether parts hold a plain $LINENO, directly or in
// double quotes.
func hasLineno(parts []syntax.WordPart) bool {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.ParamExp:
			if isPlainLineno(p) {
				return true
			}
		case *syntax.DblQuoted:
			if hasLineno(p.Parts) {
				return true
			}
		}
	}
	return false
}

// cloneDblQuoted copies parts and the double-quoted parts in them, so that
// linenoParts may replace what it finds.
func cloneDblQuoted(parts []syntax.WordPart) []syntax.WordPart {
	out := slices.Clone(parts)
	for i, p := range out {
		if dq, ok := p.(*syntax.DblQuoted); ok {
			c := *dq
			c.Parts = cloneDblQuoted(dq.Parts)
			out[i] = &c
		}
	}
	return out
}

// linenoParts replaces $LINENO in freshly parsed text with the current
// line: expand would take the line from the text's own positions.
func (r *Runner) linenoParts(parts []syntax.WordPart) {
	for i, p := range parts {
		switch p := p.(type) {
		case *syntax.ParamExp:
			if isPlainLineno(p) {
				parts[i] = &syntax.Lit{ValuePos: p.Pos(), ValueEnd: p.End(), Value: itoa(int(r.line))}
			}
		case *syntax.DblQuoted:
			r.linenoParts(p.Parts)
		}
	}
}

// replaceParam expands ${x/pat/with} on a string variable; ok is false
// for what is left to expand (arrays, indirection).
func (r *Runner) replaceParam(pe *syntax.ParamExp, quoted bool) (string, bool) {
	if pe.Param == nil || pe.Excl || pe.Index != nil || pe.Slice != nil || pe.Length ||
		pe.Names != 0 || pe.Exp != nil || pe.NestedParam != nil || pe.Width || pe.IsSet {
		return "", false
	}
	name := pe.Param.Value
	if name == "@" || name == "*" || name == "LINENO" {
		return "", false
	}
	v := r.Get(name)
	if v.IsSet() && v.Kind != expand.String || !v.IsSet() && r.opts.nounset {
		return "", false
	}
	sp, err := r.replaceSpecOf(pe.Repl, quoted)
	if err != nil {
		return "", false
	}
	return sp.apply(v.String()), true
}

// transformParam expands bash's ${x@Q} (quoted for reuse as input) and
// ${x@A} (an assignment statement) on string variables; the other
// transformations are left to expand.
func (r *Runner) transformParam(pe *syntax.ParamExp) (string, bool) {
	if pe.Param != nil && pe.Exp.Word != nil && pe.Exp.Word.Lit() == "A" && !pe.Excl && pe.Slice == nil && !pe.Length &&
		pe.Names == 0 && allIndex(pe) != "" {
		// ${a[@]@A}: the declare command that recreates the array
		name := r.refTarget(pe.Param.Value)
		if v := r.Get(name); v.IsSet() && (v.Kind == expand.Indexed || v.Kind == expand.Associative) {
			return r.declLine(name, v), true
		}
	}
	if pe.Param == nil || pe.Excl || pe.Index != nil || pe.Slice != nil || pe.Length ||
		pe.Names != 0 || pe.NestedParam != nil {
		return "", false
	}
	if pe.Exp.Word == nil {
		return "", false
	}
	op := pe.Exp.Word.Lit()
	name := pe.Param.Value
	if op != "Q" && op != "A" && op != "a" && op != "P" || name == "@" || name == "*" || name == "LINENO" {
		return "", false
	}
	v := r.Get(name)
	if op == "P" && (v.Kind == expand.String || !v.IsSet()) {
		// expanded as a prompt string
		s, err := r.expandPrompt(r.decodePrompt(v.Str, time.Now()))
		if err != nil {
			return "", false
		}
		return s, true
	}
	if op == "a" {
		if v.Kind == expand.String || !v.Declared() {
			return r.attrFlags(name, v.Flags()), true
		}
		return "", false
	}
	str := v.Str
	if v.IsSet() && (v.Kind == expand.Indexed || v.Kind == expand.Associative) {
		str = v.String() // ${a@Q} is about a[0]
	} else if v.IsSet() && v.Kind != expand.String {
		return "", false
	}
	if !v.IsSet() {
		if r.opts.nounset {
			return "", false
		}
		return "", true
	}
	q := paramQuote(str)
	if op == "A" {
		prefix := ""
		if f := r.attrFlags(name, v.Flags()); f != "" {
			prefix = "declare -" + f + " "
		}
		return prefix + name + "=" + q, true
	}
	return q, true
}

// hasControlChar reports whether s holds an ASCII control character, which
// bash's quoting shows in $'...'.
func hasControlChar(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return true
		}
	}
	return false
}

// paramQuote quotes s in single quotes as bash's ${x@Q} does, or as
// $'...' when it holds control characters.
func paramQuote(s string) string {
	if hasControlChar(s) {
		return ansicQuote(s)
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
