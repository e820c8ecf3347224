package shell

import (
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// fieldBuilder accumulates the fields of one word: POSIX field splitting
// of unquoted expansions, with the text of each field kept twice — as is,
// and as a glob pattern in which quoted characters are escaped.
type fieldBuilder struct {
	r       *Runner
	ifs     string
	out     []string
	lit     strings.Builder
	pat     strings.Builder
	started bool   // the current field exists (has text or quotes)
	wide    bool   // ifs has a multibyte character: split by characters
	glob    bool   // the current field has an unquoted glob character
	noMatch string // a pattern that matched nothing under shopt failglob
}

// failGlobError is the error of a pattern without matches under failglob.
type failGlobError struct{ pat string }

func (e failGlobError) Error() string { return "no match: " + e.pat }

func (b *fieldBuilder) isIFS(c byte) bool { return strings.IndexByte(b.ifs, c) >= 0 }

func isIFSSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' }

// quoted adds text that is neither split nor globbed.
func (b *fieldBuilder) quoted(s string) {
	b.started = true
	b.lit.WriteString(s)
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '*', '?', '[', '\\', ']', '-', '!', '^', '(', ')', '|':
			// quoted: literal, also inside a bracket expression or an
			// extended glob
			b.pat.WriteByte('\\')
		}
		b.pat.WriteByte(s[i])
	}
}

// unquotedLit adds literal text of the word itself: globbed, not split.
func (b *fieldBuilder) unquotedLit(s string) {
	if s != "" {
		b.started = true
	}
	b.lit.WriteString(s)
	b.pat.WriteString(s)
	if !b.glob && (strings.ContainsAny(s, "*?[") || b.r.ecfg.ExtGlob && hasExtGlob(s)) {
		b.glob = true
	}
}

// addLiteral adds an unquoted literal s: a leading tilde prefix (when s
// starts the word, and ends it or a /) expanded and quoted, backslashes
// quoting the next character; the rest is split by IFS when split is set
// (an operand of ${x:-word} left unquoted).
func (r *Runner) addLiteral(b *fieldBuilder, s string, first, more, split bool) {
	add := func(t string) {
		if split {
			b.split(t)
		} else {
			b.unquotedLit(t)
		}
	}
	if first && strings.HasPrefix(s, "~") {
		end := strings.IndexByte(s, '/')
		if end < 0 && !more {
			end = len(s)
		}
		if end >= 0 {
			if home, ok := r.tilde(s[1:end]); ok {
				b.quoted(home)
				s = s[end:]
			}
		}
	}
	for {
		i := strings.IndexByte(s, '\\')
		if i < 0 || i == len(s)-1 {
			break
		}
		add(s[:i])
		b.quoted(s[i+1 : i+2])
		s = s[i+2:]
	}
	add(s)
}

// split adds the value of an unquoted expansion: split by IFS, globbed.
func (b *fieldBuilder) split(v string) {
	if b.wide {
		b.splitWide(v)
		return
	}
	j := 0
	for j < len(v) {
		c := v[j]
		if !b.isIFS(c) {
			k := j
			for k < len(v) && !b.isIFS(v[k]) {
				k++
			}
			b.unquotedLit(v[j:k])
			j = k
			continue
		}
		k := j
		seenNonWS := false
		for k < len(v) && b.isIFS(v[k]) {
			if !isIFSSpace(v[k]) {
				if seenNonWS {
					break
				}
				seenNonWS = true
			}
			k++
		}
		if seenNonWS || b.started {
			b.flush(true)
		}
		j = k
	}
}

// splitWide is split for an IFS with multibyte characters, which
// separate fields as whole characters (as in bash).
func (b *fieldBuilder) splitWide(v string) {
	at := func(j int) (bool, int) {
		c, size := utf8.DecodeRuneInString(v[j:])
		if c == utf8.RuneError && size <= 1 {
			return b.isIFS(v[j]) && v[j] < utf8.RuneSelf, 1
		}
		return strings.ContainsRune(b.ifs, c), size
	}
	j := 0
	for j < len(v) {
		if sep, _ := at(j); !sep {
			k := j
			for k < len(v) {
				sep, size := at(k)
				if sep {
					break
				}
				k += size
			}
			b.unquotedLit(v[j:k])
			j = k
			continue
		}
		k := j
		seenNonWS := false
		for k < len(v) {
			sep, size := at(k)
			if !sep {
				break
			}
			if size > 1 || !isIFSSpace(v[k]) {
				if seenNonWS {
					break
				}
				seenNonWS = true
			}
			k += size
		}
		if seenNonWS || b.started {
			b.flush(true)
		}
		j = k
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// flush ends the current field.
func (b *fieldBuilder) flush(force bool) {
	if !b.started && !force {
		return
	}
	lit := b.lit.String()
	if b.glob && !b.r.opts.noglob && b.r.globMeta(b.pat.String()) {
		if m := b.r.glob(b.pat.String()); len(m) > 0 {
			b.out = append(b.out, m...)
			b.reset()
			return
		}
		if b.r.shopts["failglob"] && b.noMatch == "" {
			b.noMatch = lit
		}
		if b.r.ecfg.NullGlob {
			b.reset()
			return
		}
	}
	b.out = append(b.out, lit)
	b.reset()
}

func (b *fieldBuilder) reset() {
	b.lit.Reset()
	b.pat.Reset()
	b.started = false
	b.glob = false
}

// expandWordFields expands one word into fields.
func (r *Runner) expandWordFields(w *syntax.Word, out []string) ([]string, error) {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && strings.IndexByte(l.Value, '{') >= 0 && !r.opts.noBraceExpand {
			word := *w // SplitBraces replaces the Parts slice
			if !syntax.SplitBraces(&word) {
				break
			}
			return r.expandBraces(&word, out)
		}
	}
	return r.expandBraceless(w, out)
}

// expandBraces expands a word with brace expressions into fields. (Apart
// from expandWordFields, whose out would otherwise live in the heap for
// every word, since the loop body below captures it.)
func (r *Runner) expandBraces(word *syntax.Word, out []string) ([]string, error) {
	for bw, err := range expand.BracesSeq(r.ecfg, word) {
		if err != nil {
			return out, err
		}
		if out, err = r.expandBraceless(joinLeadingLits(bw), out); err != nil {
			return out, err
		}
	}
	return out, nil
}

// joinLeadingLits joins the literal parts that start a brace-expanded word
// (expand gives ~ and /bar of {a,~}/bar apart), so that a leading tilde
// prefix is seen whole, as bash does.
func joinLeadingLits(w *syntax.Word) *syntax.Word {
	n := 0
	for n < len(w.Parts) {
		if _, ok := w.Parts[n].(*syntax.Lit); !ok {
			break
		}
		n++
	}
	if n < 2 {
		return w
	}
	first := w.Parts[0].(*syntax.Lit)
	if !strings.HasPrefix(first.Value, "~") {
		return w
	}
	var b strings.Builder
	for _, p := range w.Parts[:n] {
		b.WriteString(p.(*syntax.Lit).Value)
	}
	lit := &syntax.Lit{ValuePos: first.ValuePos, ValueEnd: w.Parts[n-1].End(), Value: b.String()}
	parts := append([]syntax.WordPart{lit}, w.Parts[n:]...)
	return &syntax.Word{Parts: parts}
}

func (r *Runner) expandBraceless(w *syntax.Word, out []string) ([]string, error) {
	if r.globShopts && !r.opts.noglob && r.ecfg.GlobStar && hasLitStarStar(w) {
		// ** under globstar: expand's globbing
		w, err := r.preArith(w)
		if err != nil {
			return out, err
		}
		fs, err := expand.Fields(r.ecfg, w)
		return append(out, fs...), err
	}
	for _, p := range w.Parts {
		switch p.(type) {
		case *syntax.BraceExp, *syntax.ProcSubst:
			w, err := r.preArith(w)
			if err != nil {
				return out, err
			}
			fs, err := expand.Fields(r.ecfg, w)
			return append(out, fs...), err
		}
	}
	ifs := r.ifs()
	b := &fieldBuilder{r: r, ifs: ifs, out: out, wide: !isASCII(ifs)}
	for i, p := range w.Parts {
		if err := r.expandPart(b, p, i == 0, len(w.Parts) > 1); err != nil {
			return out, err
		}
	}
	b.flush(false)
	if b.noMatch != "" {
		return out, failGlobError{b.noMatch}
	}
	return b.out, nil
}

func (r *Runner) expandPart(b *fieldBuilder, p syntax.WordPart, first, more bool) error {
	switch p := p.(type) {
	case *syntax.ExtGlob:
		body, err := r.extGlobBody(p.Pattern.Value)
		if err != nil {
			return err
		}
		pat := p.Op.String() + body + ")"
		b.started = true
		b.lit.WriteString(unescapeGlob(pat))
		b.pat.WriteString(pat)
		b.glob = true
		return nil
	case *syntax.Lit:
		r.addLiteral(b, p.Value, first, more, false)
	case *syntax.SglQuoted:
		if p.Dollar {
			s, err := expand.Literal(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{p}})
			if err != nil {
				return err
			}
			b.quoted(s)
			return nil
		}
		b.quoted(p.Value)
	case *syntax.DblQuoted:
		b.started = true
		for _, q := range p.Parts {
			if pe, ok := q.(*syntax.ParamExp); ok {
				if err := r.positionalError(pe); err != nil {
					return err
				}
			}
			if pe, ok := q.(*syntax.ParamExp); ok && !p.Dollar && (isListParam(pe) || isWordOperand(pe) && hasListWord(pe) || r.indirectList(pe) != nil) {
				var elems []string
				var err error
				if isWordOperand(pe) {
					elems, _, err = r.quotedOperandFields(pe)
				} else {
					elems, err = r.listElems(pe, true)
				}
				if err != nil {
					return err
				}
				if len(elems) == 0 {
					// "$@" with nothing: no field unless other text exists
					if len(p.Parts) == 1 && b.lit.Len() == 0 {
						b.started = false
					}
					continue
				}
				for i, e := range elems {
					if i > 0 {
						b.flush(true)
						b.started = true
					}
					b.quoted(e)
				}
				continue
			}
			s, err := r.quotedPart(q)
			if err != nil {
				return err
			}
			b.quoted(s)
		}
	case *syntax.ParamExp:
		if err := r.positionalError(p); err != nil {
			return err
		}
		if isDeferredArith(p) {
			s, err := r.deferredArith(p)
			if err != nil {
				return err
			}
			b.split(s)
			return nil
		}
		if isCaseToggle(p) {
			b.split(r.caseToggle(p))
			return nil
		}
		if isWordOperand(p) {
			if handled, err := r.expandOperandFields(b, p); handled {
				return err
			}
		}
		if ip := r.indirectList(p); ip != nil {
			p = ip
		}
		if isListParam(p) {
			// unquoted $* and ${a[*]} are the separate elements, as $@ is
			lp := p
			if p.Names == syntax.NamesPrefix {
				cp := *p
				cp.Names = syntax.NamesPrefixWords
				lp = &cp
			} else if iw, ok := p.Index.(*syntax.Word); p.Param.Value == "*" || ok && iw.Lit() == "*" {
				cp := *p
				if cp.Param.Value == "*" {
					cp.Param = &syntax.Lit{ValuePos: p.Param.ValuePos, ValueEnd: p.Param.ValueEnd, Value: "@"}
				} else {
					cp.Index = &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "@"}}}
				}
				lp = &cp
			}
			elems, err := r.listElems(lp, false)
			if err != nil {
				return err
			}
			for i, e := range elems {
				if i > 0 {
					b.flush(false)
				}
				b.split(e)
			}
			return nil
		}
		s, ok := r.fastParam(p, false)
		if err := r.takeParamErr(); err != nil {
			return err
		}
		if !ok {
			var err error
			s, err = expand.Literal(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{r.assocView(p)}})
			if err != nil {
				return err
			}
		}
		b.split(s)
	case *syntax.CmdSubst:
		var sb strings.Builder
		if err := r.cmdSubst(&sb, p); err != nil {
			return err
		}
		b.split(strings.TrimRight(sb.String(), "\n"))
	case *syntax.ArithmExp:
		n, err := r.arithExp(p)
		if err != nil {
			return err
		}
		b.split(itoa(n))
	default:
		s, err := expand.Literal(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{p}})
		if err != nil {
			return err
		}
		b.split(s)
	}
	return nil
}

// quotedPart expands one part inside double quotes.
func (r *Runner) quotedPart(q syntax.WordPart) (string, error) {
	switch q := q.(type) {
	case *syntax.Lit:
		if strings.IndexByte(q.Value, '\\') < 0 {
			return q.Value, nil
		}
	case *syntax.ParamExp:
		s, ok := r.fastParam(q, true)
		if err := r.takeParamErr(); err != nil {
			return "", err
		}
		if ok {
			return s, nil
		}
		if v := r.assocView(q); v != q {
			return expand.Literal(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{v}}}})
		}
	case *syntax.ArithmExp:
		n, err := r.arithExp(q)
		return itoa(n), err
	case *syntax.CmdSubst:
		var sb strings.Builder
		if err := r.cmdSubst(&sb, q); err != nil {
			return "", err
		}
		return strings.TrimRight(sb.String(), "\n"), nil
	}
	return expand.Literal(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{q}}}})
}

// isListParam reports whether pe expands to a list: $@, $*, ${a[@]}, ${a[*]}.
func isListParam(pe *syntax.ParamExp) bool {
	if pe.Param == nil || pe.Length {
		return false
	}
	if pe.Names != 0 {
		return true
	}
	if pe.Excl && pe.Index == nil {
		return false
	}
	if pe.Param.Value == "@" || pe.Param.Value == "*" {
		return true
	}
	if pe.Index != nil {
		if w, ok := pe.Index.(*syntax.Word); ok {
			l := w.Lit()
			return l == "@" || l == "*"
		}
	}
	return false
}

// tilde expands ~ and ~user.
func (r *Runner) tilde(user string) (string, bool) {
	if user == "" {
		v := r.Get("HOME")
		if v.IsSet() {
			return v.String(), true
		}
		return homeOf(currentUser()), true
	}
	if user == "+" {
		return r.getString("PWD"), true
	}
	if user == "-" {
		if v := r.Get("OLDPWD"); v.IsSet() {
			return v.String(), true
		}
		return "", false
	}
	if h := homeOf(user); h != "" {
		return h, true
	}
	return "", false
}

func currentUser() string {
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "root"
}

// hasLitStarStar reports whether a literal part of w holds **.
func hasLitStarStar(w *syntax.Word) bool {
	for _, p := range w.Parts {
		if l, ok := p.(*syntax.Lit); ok && strings.Contains(l.Value, "**") {
			return true
		}
	}
	return false
}

// glob expands a pattern against the file system, sorted; nil when
// nothing matches.
func (r *Runner) glob(pat string) []string {
	m := r.globPaths(pat)
	if ig := r.getString("GLOBIGNORE"); ig != "" && len(m) > 0 {
		// bash's GLOBIGNORE: drop the matches of any of its patterns
		kept := m[:0]
		for _, p := range m {
			drop := false
			for ip := range strings.SplitSeq(ig, ":") {
				if ip != "" && matchPattern(ip, p) {
					drop = true
					break
				}
			}
			if !drop {
				kept = append(kept, p)
			}
		}
		m = kept
	}
	if len(m) == 0 {
		return nil
	}
	return m
}

// globPaths expands pat against the file system, sorted; nil when nothing
// matches.
func (r *Runner) globPaths(pat string) []string {
	abs := strings.HasPrefix(pat, "/")
	parts := strings.Split(pat, "/")
	bases := []string{""}
	if abs {
		bases = []string{"/"}
		parts = parts[1:]
	}
	for i, part := range parts {
		last := i == len(parts)-1
		if part == "" {
			if last {
				for j := range bases {
					bases[j] += ""
				}
			}
			continue
		}
		var next []string
		if !r.globMeta(part) {
			lit := unescapeGlob(part)
			for _, b := range bases {
				p := joinGlob(b, lit)
				if last {
					if _, err := os.Lstat(r.abs(p)); err != nil {
						continue
					}
				}
				next = append(next, p)
			}
		} else {
			for _, b := range bases {
				dir := b
				if dir == "" {
					dir = "."
				}
				ents, err := os.ReadDir(r.abs(dir))
				if err != nil {
					continue
				}
				var names []string
				dot := r.ecfg.DotGlob
				fold := r.ecfg.NoCaseGlob
				lpart := part
				if fold {
					lpart = strings.ToLower(part)
				}
				for _, e := range ents {
					n := e.Name()
					if n[0] == '.' && part[0] != '.' && !strings.HasPrefix(part, "\\.") && (!dot || n == "." || n == "..") {
						continue
					}
					if fold && matchPattern(lpart, strings.ToLower(n)) || !fold && matchPattern(part, n) {
						if !last && !e.IsDir() {
							if st, err := os.Stat(r.abs(joinGlob(b, n))); err != nil || !st.IsDir() {
								continue
							}
						}
						names = append(names, n)
					}
				}
				sort.Strings(names)
				for _, n := range names {
					next = append(next, joinGlob(b, n))
				}
			}
		}
		bases = next
		if len(bases) == 0 {
			return nil
		}
	}
	if strings.HasSuffix(pat, "/") {
		for i := range bases {
			bases[i] += "/"
		}
	}
	return bases
}

func joinGlob(base, name string) string {
	switch base {
	case "":
		return name
	case "/":
		return "/" + name
	}
	return base + "/" + name
}

// globMeta reports whether s is a pattern: it has glob characters, or an
// extended glob operator under shopt extglob.
func (r *Runner) globMeta(s string) bool {
	return hasGlobMeta(s) || r.ecfg.ExtGlob && hasExtGlob(s)
}

// hasGlobMeta reports whether s holds an unescaped *, ? or a bracket
// expression with its closing ].
func hasGlobMeta(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '*', '?':
			return true
		case '[':
			if strings.IndexByte(s[i+1:], ']') >= 0 {
				return true
			}
		}
	}
	return false
}

func unescapeGlob(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// listElems returns the elements of a list expansion ("$@", "${a[@]}"),
// applying a ${@/pat/with} substitution to each with spork's matcher.
func (r *Runner) listElems(pe *syntax.ParamExp, quoted bool) ([]string, error) {
	if ip := r.indirectList(pe); ip != nil {
		return r.listElems(ip, quoted)
	}
	if pe.Excl && pe.Index != nil && pe.Param != nil && r.Get(pe.Param.Value).Kind == expand.NameRef {
		// ${!ref[@]}: the keys of the array ref refers to
		cp := *pe
		cp.Param = &syntax.Lit{ValuePos: pe.Param.ValuePos, ValueEnd: pe.Param.ValueEnd, Value: r.refTarget(pe.Param.Value)}
		pe = &cp
	}
	if pe.Exp != nil && pe.Exp.Op == syntax.OtherParamOps && pe.Exp.Word != nil && pe.Exp.Word.Lit() == "A" {
		if s, ok := r.transformParam(pe); ok {
			return []string{s}, nil
		}
	}
	if pe.Excl && pe.Names == 0 && pe.Param != nil && allIndex(pe) != "" && pe.Exp == nil && pe.Repl == nil && pe.Slice == nil {
		// ${!x[@]} on a variable that is not an array: 0 when set
		switch v := r.Get(r.refTarget(pe.Param.Value)); {
		case !v.IsSet() && v.Kind != expand.NameRef:
			if quoted && allIndex(pe) == "*" {
				return []string{""}, nil
			}
			return nil, nil
		case v.Kind == expand.String:
			return []string{"0"}, nil
		}
	}
	pe = r.assocView(pe)
	if pe.Exp != nil && pe.Exp.Op == syntax.OtherParamOps && pe.Exp.Word != nil && strings.Contains("QUuL", pe.Exp.Word.Lit()) &&
		len(pe.Exp.Word.Lit()) == 1 && !pe.Excl && pe.Slice == nil {
		op := pe.Exp.Word.Lit()
		// transform each element, then join them for a * form
		bare, star := elementForm(pe)
		bare.Exp = nil
		elems, err := r.listElems(&bare, quoted)
		if err != nil {
			return nil, err
		}
		out := make([]string, len(elems))
		for i, e := range elems {
			switch op {
			case "Q":
				out[i] = paramQuote(e)
			case "U":
				out[i] = strings.ToUpper(e)
			case "L":
				out[i] = strings.ToLower(e)
			case "u":
				if r, n := utf8.DecodeRuneInString(e); n > 0 {
					e = string(unicode.ToUpper(r)) + e[n:]
				}
				out[i] = e
			}
		}
		return r.joinIfStar(out, star && quoted), nil
	}
	if pe.Repl == nil || pe.Slice != nil || pe.Exp != nil || pe.Excl || pe.Length {
		return expand.Fields(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{pe}}}})
	}
	// substitute in each element, then join them for a * form
	bare, star := elementForm(pe)
	bare.Repl = nil
	elems, err := expand.Fields(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{&bare}}}})
	if err != nil {
		return nil, err
	}
	sp, err := r.replaceSpecOf(pe.Repl, quoted)
	if err != nil {
		return nil, err
	}
	for i, e := range elems {
		elems[i] = sp.apply(e)
	}
	return r.joinIfStar(elems, star && quoted), nil
}

// elementForm returns a copy of pe that lists the elements one by one:
// $* and a[*] become $@ and a[@], and star says that pe had the * form.
func elementForm(pe *syntax.ParamExp) (bare syntax.ParamExp, star bool) {
	bare = *pe
	iw, ok := pe.Index.(*syntax.Word)
	switch {
	case pe.Param.Value == "*":
		bare.Param = &syntax.Lit{ValuePos: pe.Param.ValuePos, ValueEnd: pe.Param.ValueEnd, Value: "@"}
	case ok && iw.Lit() == "*":
		bare.Index = &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: "@"}}}
	default:
		return bare, false
	}
	return bare, true
}

// joinIfStar joins fields with the first character of IFS when join is
// set ("${a[*]}"), and returns them as they are otherwise.
func (r *Runner) joinIfStar(fields []string, join bool) []string {
	if !join {
		return fields
	}
	sep := ""
	if ifs := r.ifs(); ifs != "" {
		sep = ifs[:1]
	}
	return []string{strings.Join(fields, sep)}
}

// indirectList returns ${a[@]} (or ${a[*]}) for ${!ref} when ref holds
// "a[@]" (or "a[*]"), so that it expands to the elements; nil otherwise.
func (r *Runner) indirectList(pe *syntax.ParamExp) *syntax.ParamExp {
	if !pe.Excl || pe.Param == nil || pe.Index != nil || pe.Names != 0 || pe.Length || pe.Exp != nil ||
		pe.Repl != nil || pe.Slice != nil || pe.NestedParam != nil {
		return nil
	}
	v := r.Get(pe.Param.Value)
	if v.Kind != expand.String || !strings.HasSuffix(v.Str, "@]") && !strings.HasSuffix(v.Str, "*]") {
		return nil
	}
	i := strings.IndexByte(v.Str, '[')
	if i <= 0 || v.Str[i:] != "[@]" && v.Str[i:] != "[*]" || !checkName(v.Str[:i]) {
		return nil
	}
	return &syntax.ParamExp{Dollar: pe.Dollar, Param: &syntax.Lit{ValuePos: pe.Param.ValuePos, ValueEnd: pe.Param.ValueEnd, Value: v.Str[:i]},
		Index: &syntax.Word{Parts: []syntax.WordPart{&syntax.Lit{Value: v.Str[i+1 : i+2]}}}}
}
