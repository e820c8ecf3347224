package shell

import (
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// The default and alternate operators (${x-w} ${x:-w} ${x+w} ${x:+w}) keep
// the quoting of their word: unquoted, "${x:-"a b"}"'s inner quotes stop
// field splitting, and a backslash quotes the next character. expand
// flattens the word to a string first, so these operators are expanded
// here, part by part, into the field builder.

// isWordOperand reports whether pe is one of the default or alternate
// operators on a plain parameter (no index, slice or indirection).
func isWordOperand(pe *syntax.ParamExp) bool {
	if pe.Index != nil && allIndex(pe) == "" {
		return false
	}
	if pe.Exp == nil || pe.Param == nil || pe.Length || pe.Excl ||
		pe.Slice != nil || pe.Repl != nil || pe.Names != 0 || pe.Width || pe.IsSet ||
		pe.NestedParam != nil {
		return false
	}
	switch pe.Exp.Op {
	case syntax.DefaultUnset, syntax.DefaultUnsetOrNull, syntax.AlternateUnset, syntax.AlternateUnsetOrNull:
		return true
	}
	return false
}

// paramNullness reports whether the parameter of pe is set, and whether
// it is set but null. $@ and $* are unset with no positional parameters
// and null when they join to nothing, as in bash. ok is false for values
// this code leaves to expand (arrays, namerefs).
func (r *Runner) paramNullness(pe *syntax.ParamExp) (set, null, ok bool) {
	name := pe.Param.Value
	if name == "@" || name == "*" {
		return len(r.params) > 0, strings.Join(r.params, " ") == "", true
	}
	if allIndex(pe) != "" {
		// ${a[@]-w}: an array without elements is unset
		v := r.Get(r.refTarget(name))
		switch v.Kind {
		case expand.Indexed:
			return len(v.List) > 0, strings.Join(v.List, " ") == "", true
		case expand.Associative:
			vals := make([]string, 0, len(v.Map))
			for _, e := range v.Map {
				vals = append(vals, e)
			}
			return len(vals) > 0, strings.Join(vals, " ") == "", true
		case expand.String:
			return v.IsSet(), v.Str == "", true
		}
		return v.IsSet(), !v.IsSet(), v.Kind != expand.NameRef
	}
	v := r.Get(name)
	if !v.IsSet() {
		return false, true, true
	}
	if v.Kind != expand.String {
		return false, false, false
	}
	return true, v.Str == "", true
}

// positionalError is the error of ${@?w}, ${*:?w} and the like when the
// positional parameters are unset (none) or, for :?, null: expand takes $@
// and $* for set, bash does not. It is nil for every other expansion.
func (r *Runner) positionalError(pe *syntax.ParamExp) error {
	if pe.Exp == nil || pe.Param == nil || (pe.Exp.Op != syntax.ErrorUnset && pe.Exp.Op != syntax.ErrorUnsetOrNull) ||
		(pe.Param.Value != "@" && pe.Param.Value != "*") || pe.Index != nil || pe.Length || pe.Excl {
		return nil
	}
	set, null, _ := r.paramNullness(pe)
	if set && (pe.Exp.Op == syntax.ErrorUnset || !null) {
		return nil
	}
	msg := ""
	if pe.Exp.Word != nil {
		var err error
		if msg, err = r.literal(pe.Exp.Word); err != nil {
			return err
		}
	}
	return expand.UnsetParameterError{Node: pe, Message: msg}
}

// positionalErrors is positionalError for the parameter expansions among
// parts, double-quoted ones included.
func (r *Runner) positionalErrors(parts []syntax.WordPart) error {
	for _, p := range parts {
		switch p := p.(type) {
		case *syntax.ParamExp:
			if err := r.positionalError(p); err != nil {
				return err
			}
		case *syntax.DblQuoted:
			if err := r.positionalErrors(p.Parts); err != nil {
				return err
			}
		}
	}
	return nil
}

// useOperand reports whether the operator's word replaces the value.
func useOperand(op syntax.ParExpOperator, set, null bool) bool {
	switch op {
	case syntax.DefaultUnset:
		return !set
	case syntax.DefaultUnsetOrNull:
		return !set || null
	case syntax.AlternateUnset:
		return set
	}
	return set && !null // AlternateUnsetOrNull
}

// expandOperandFields expands an unquoted ${x-w}-style expansion into b;
// handled is false when the expansion is left to the general path.
func (r *Runner) expandOperandFields(b *fieldBuilder, pe *syntax.ParamExp) (handled bool, err error) {
	set, null, ok := r.paramNullness(pe)
	if !ok {
		return false, nil
	}
	op := pe.Exp.Op
	if !useOperand(op, set, null) {
		if op == syntax.AlternateUnset || op == syntax.AlternateUnsetOrNull {
			return true, nil
		}
		bare := *pe
		bare.Exp = nil
		return true, r.expandPart(b, &bare, false, true)
	}
	var parts []syntax.WordPart
	if pe.Exp.Word != nil {
		parts = pe.Exp.Word.Parts
	}
	for i, p := range parts {
		if l, ok := p.(*syntax.Lit); ok {
			// unlike the command word's own text, an operand's is split
			r.addLiteral(b, l.Value, i == 0, len(parts) > 1, true)
			continue
		}
		if err := r.expandPart(b, p, i == 0, len(parts) > 1); err != nil {
			return true, err
		}
	}
	return true, nil
}

// quotedOperandFields expands "${@-w}"-style expansions of the list
// parameters inside double quotes: the word, as one string, when it is
// used; otherwise the list itself (or nothing for an unused alternate).
func (r *Runner) quotedOperandFields(pe *syntax.ParamExp) (elems []string, handled bool, err error) {
	set, null, _ := r.paramNullness(pe)
	op := pe.Exp.Op
	if useOperand(op, set, null) {
		if parts, ok := listWordParts(pe.Exp.Word); ok {
			// "${x[@]:-${y[@]}}": the word's list stays a list
			fs, err := r.expandWordFields(&syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: parts}}}, nil)
			return fs, true, err
		}
		s, err := r.operandWord(pe.Exp.Word, true)
		return []string{s}, true, err
	}
	if op == syntax.AlternateUnset || op == syntax.AlternateUnsetOrNull {
		if pe.Param.Value == "@" && len(r.params) == 0 {
			return nil, true, nil
		}
		return []string{""}, true, nil
	}
	bare := *pe
	bare.Exp = nil
	elems, err = expand.Fields(r.ecfg, &syntax.Word{Parts: []syntax.WordPart{&syntax.DblQuoted{Parts: []syntax.WordPart{&bare}}}})
	return elems, true, err
}

// operandWord expands an operator's word to one string. Inside double
// quotes (quoted), backslashes and single quotes follow the rules of double
// quotes: "${x-'a'}" keeps the quotes and "${x-\}}" is }; outside, a
// backslash quotes any character.
func (r *Runner) operandWord(w *syntax.Word, quoted bool) (string, error) {
	if w == nil {
		return "", nil
	}
	var sb strings.Builder
	for i, p := range w.Parts {
		switch p := p.(type) {
		case *syntax.Lit:
			s := p.Value
			if !quoted && i == 0 && strings.HasPrefix(s, "~") {
				return r.literal(w)
			}
			for i := 0; i < len(s); i++ {
				if s[i] == '\\' && i+1 < len(s) && (!quoted || strings.IndexByte("$`\"\\}", s[i+1]) >= 0) {
					i++
				}
				sb.WriteByte(s[i])
			}
		case *syntax.SglQuoted:
			if p.Dollar {
				return r.literal(w)
			}
			if quoted {
				// inside double quotes these quotes are plain characters and
				// what they enclose is expanded
				inner := p.Value
				if strings.ContainsAny(inner, "$`\\") {
					if dw, err := syntax.NewParser().Document(strings.NewReader(inner)); err == nil {
						if s, err := r.document(dw); err == nil {
							inner = s
						}
					}
				}
				sb.WriteString("'" + inner + "'")
			} else {
				sb.WriteString(p.Value)
			}
		case *syntax.DblQuoted:
			for _, q := range p.Parts {
				s, err := r.quotedPart(q)
				if err != nil {
					return "", err
				}
				sb.WriteString(s)
			}
		default:
			s, err := r.quotedPart(p)
			if err != nil {
				return "", err
			}
			sb.WriteString(s)
		}
	}
	return sb.String(), nil
}

// allIndex returns "@" or "*" for ${a[@]} and ${a[*]}, "" otherwise.
func allIndex(pe *syntax.ParamExp) string {
	if w, ok := pe.Index.(*syntax.Word); ok {
		if l := w.Lit(); l == "@" || l == "*" {
			return l
		}
	}
	return ""
}

// listWordParts returns the parts of an operator's word as they stand
// inside double quotes, when the word holds a list expansion ($@ or
// ${a[@]}) and nothing but literal text and expansions; ok is false
// otherwise.
func listWordParts(w *syntax.Word) (parts []syntax.WordPart, ok bool) {
	if w == nil {
		return nil, false
	}
	hasList := false
	var add func(ps []syntax.WordPart) bool
	add = func(ps []syntax.WordPart) bool {
		for _, p := range ps {
			switch p := p.(type) {
			case *syntax.Lit:
				if strings.IndexByte(p.Value, '\\') >= 0 {
					return false
				}
				parts = append(parts, p)
			case *syntax.ParamExp:
				if isListParam(p) {
					hasList = true
				}
				parts = append(parts, p)
			case *syntax.DblQuoted:
				if p.Dollar || !add(p.Parts) {
					return false
				}
			default:
				return false
			}
		}
		return true
	}
	if !add(w.Parts) || !hasList {
		return nil, false
	}
	return parts, true
}

// hasListWord reports whether an operator's word holds a list expansion.
func hasListWord(pe *syntax.ParamExp) bool {
	_, ok := listWordParts(pe.Exp.Word)
	return ok
}
