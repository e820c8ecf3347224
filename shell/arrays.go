package shell

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// assignArray performs name=(...) and name+=(...).
func (r *Runner) assignArray(as *syntax.Assign) error {
	name := r.refTarget(as.Name.Value)
	old, err := r.writableVar(name)
	if err != nil {
		return err
	}
	if old.Kind == expand.Associative {
		m := map[string]string{}
		if as.Append {
			for k, v := range old.Map {
				m[k] = v
			}
		}
		for _, el := range as.Array.Elems {
			if el.Index == nil {
				continue
			}
			k, err := r.assocKey(el.Index)
			if err != nil {
				return err
			}
			v, err := r.literal(el.Value)
			if err != nil {
				r.expandError(err)
				return err
			}
			if v, err = r.elemAttrs(name, v); err != nil {
				return err
			}
			m[k] = v
		}
		old.Map, old.Set = m, true
		return r.Set(name, old)
	}
	vals := map[int]string{}
	var order []int
	next := 0
	if as.Append {
		vals, order = indexedEntries(old)
		if len(order) > 0 {
			next = order[len(order)-1] + 1
		}
	}
	for _, el := range as.Array.Elems {
		if el.Index != nil {
			n, err := r.arith(el.Index)
			if err != nil {
				r.expandError(err)
				return err
			}
			v, err := r.literal(el.Value)
			if err != nil {
				r.expandError(err)
				return err
			}
			if v, err = r.elemAttrs(name, v); err != nil {
				return err
			}
			if _, ok := vals[n]; !ok {
				order = append(order, n)
			}
			vals[n] = v
			next = n + 1
			continue
		}
		fs, err := r.fields(el.Value)
		if err != nil {
			r.expandError(err)
			return err
		}
		for _, f := range fs {
			if f, err = r.elemAttrs(name, f); err != nil {
				return err
			}
			if _, ok := vals[next]; !ok {
				order = append(order, next)
			}
			vals[next] = f
			next++
		}
	}
	v := expand.Variable{Set: true, Kind: expand.Indexed, Exported: old.Exported, Local: old.Local}
	v.List, v.Indexes = buildList(vals, order)
	return r.Set(name, v)
}

// buildList turns index→value into List and, when sparse, Indexes.
func buildList(vals map[int]string, order []int) ([]string, []int) {
	slices.Sort(order)
	order = slices.Compact(order)
	list := make([]string, len(order))
	dense := true
	for i, idx := range order {
		list[i] = vals[idx]
		if idx != i {
			dense = false
		}
	}
	if dense {
		return list, nil
	}
	return list, order
}

func (r *Runner) assocKey(idx syntax.ArithmExpr) (string, error) {
	if w, ok := idx.(*syntax.Word); ok {
		s, err := r.literal(w)
		if err != nil {
			r.expandError(err)
		}
		return s, err
	}
	return arithSource(idx), nil
}

// assignIndex performs name[i]=value.
func (r *Runner) assignIndex(as *syntax.Assign, val string) error {
	name := r.refTarget(as.Name.Value)
	old, err := r.writableVar(name)
	if err != nil {
		return err
	}
	if old.Kind == expand.Associative {
		k, err := r.assocKey(as.Index)
		if err != nil {
			return err
		}
		m := make(map[string]string, len(old.Map)+1)
		for a, b := range old.Map {
			m[a] = b
		}
		if val, err = r.indexAttrs(name, val, m[k], as.Append); err != nil {
			return err
		}
		m[k] = val
		old.Map, old.Set = m, true
		return r.Set(name, old)
	}
	n, err := r.arith(as.Index)
	if err != nil {
		r.expandError(err)
		return err
	}
	vals, order := indexedEntries(old)
	if n < 0 {
		if len(order) == 0 {
			r.errorf("%s[%d]: bad array subscript", name, n)
			return errBadSubscript
		}
		n = order[len(order)-1] + 1 + n
		if n < 0 {
			r.errorf("%s[%s]: bad array subscript", name, arithSource(as.Index))
			return errBadSubscript
		}
	}
	if val, err = r.indexAttrs(name, val, vals[n], as.Append); err != nil {
		return err
	}
	if _, ok := vals[n]; !ok {
		order = append(order, n)
	}
	vals[n] = val
	v := expand.Variable{Set: true, Kind: expand.Indexed, Exported: old.Exported, Local: old.Local}
	v.List, v.Indexes = buildList(vals, order)
	return r.Set(name, v)
}

// elemAttrs applies the value attributes of array name (declare -i, -l,
// -u) to one element of a compound assignment.
func (r *Runner) elemAttrs(name, val string) (string, error) {
	return r.indexAttrs(name, val, "", false)
}

// indexAttrs computes the value stored by name[i]=val (or name[i]+=val
// when app, old being the element's value) under name's attributes.
func (r *Runner) indexAttrs(name, val, old string, app bool) (string, error) {
	a := r.attrOf(name)
	if a == 0 {
		if app {
			val = old + val
		}
		return val, nil
	}
	v, err := r.applyAttrs(a, val, old, app)
	if err != nil {
		r.expandError(err)
	}
	return v, err
}

// appendArray appends values to an indexed array (a+=x on an array).
func (r *Runner) appendArray(as *syntax.Assign, vals []string) error {
	name := r.refTarget(as.Name.Value)
	old := r.Get(name)
	list := append([]string(nil), old.List...)
	if len(list) > 0 {
		list[0] += vals[0]
	} else {
		list = append(list, vals...)
	}
	old.List = list
	return r.Set(name, old)
}

// unsetIndex removes one element of an array: unset 'a[i]'.
func (r *Runner) unsetIndex(name, index string) {
	old := r.Get(name)
	switch old.Kind {
	case expand.Associative:
		m := make(map[string]string, len(old.Map))
		for a, b := range old.Map {
			if a != index {
				m[a] = b
			}
		}
		old.Map = m
		r.Set(name, old)
	case expand.Indexed:
		n, err := strconv.Atoi(index)
		if err != nil {
			x, perr := parseArithText(index)
			if perr != nil {
				return
			}
			n, err = r.arith(x)
			if err != nil {
				return
			}
		}
		vals, all := indexedEntries(old)
		if n < 0 && len(all) > 0 {
			n += all[len(all)-1] + 1 // counted from the end
		}
		delete(vals, n)
		order := slices.DeleteFunc(all, func(i int) bool { return i == n })
		old.List, old.Indexes = buildList(vals, order)
		if old.Indexes == nil && len(old.List) > 0 && len(order) > 0 && order[0] != 0 {
			old.Indexes = order
		}
		r.Set(name, old)
	}
}

// indexedEntries returns the elements of an indexed array (or of a set
// string, as element 0) by index, and the indexes in ascending order.
func indexedEntries(v expand.Variable) (map[int]string, []int) {
	vals := map[int]string{}
	var order []int
	if !v.IsSet() {
		return vals, order
	}
	switch v.Kind {
	case expand.Indexed:
		for i, e := range v.List {
			idx := i
			if v.Indexes != nil {
				idx = v.Indexes[i]
			}
			vals[idx] = e
			order = append(order, idx)
		}
	case expand.String:
		vals[0] = v.Str
		order = append(order, 0)
	}
	return vals, order
}

// writableVar returns a variable about to be assigned, or reports that it
// is read-only.
func (r *Runner) writableVar(name string) (expand.Variable, error) {
	old := r.Get(name)
	if old.ReadOnly {
		r.errorf("%s: readonly variable", name)
		return old, varReadOnlyError{name}
	}
	return old, nil
}

// errBadSubscript reports an array index out of range (already printed).
var errBadSubscript = errors.New("bad array subscript")

// elementParam expands ${a[i]}, ${#a[i]} and ${!a[i]} on arrays: the
// index is arithmetic expanded first (i='1+2' works), a negative one
// counts from the end, and one out of range is empty (bash warns on a
// negative one). ok is false for what is left to expand.
func (r *Runner) elementParam(pe *syntax.ParamExp) (string, bool) {
	if pe.Param == nil || pe.Slice != nil || pe.Repl != nil || pe.Exp != nil || pe.Names != 0 ||
		pe.Width || pe.IsSet || pe.NestedParam != nil || allIndex(pe) != "" || pe.Length && pe.Excl {
		return "", false
	}
	name := r.refTarget(pe.Param.Value)
	v := r.Get(name)
	var s string
	found := false
	switch v.Kind {
	case expand.Indexed:
		n, err := r.arithX(pe.Index)
		if err != nil {
			return "", false
		}
		vals, order := indexedEntries(v)
		if n < 0 {
			if len(order) > 0 {
				n += order[len(order)-1] + 1
			}
			if n < 0 {
				r.errorf("%s: bad array subscript", pe.Param.Value)
				return "", true
			}
		}
		s, found = vals[n]
	case expand.Associative:
		k, err := r.assocKey(pe.Index)
		if err != nil {
			return "", false
		}
		s, found = v.Map[k]
	default:
		return "", false
	}
	if !found && r.opts.nounset {
		if pe.Length || pe.Excl {
			return "", false
		}
		// set -u: a missing element is an unbound variable, as in bash
		r.paramErr = expand.UnsetParameterError{Node: &syntax.ParamExp{Param: &syntax.Lit{
			Value: pe.Param.Value + "[" + indexSource(pe.Index) + "]"}}, Message: "unbound variable"}
		return "", true
	}
	switch {
	case pe.Length:
		return itoa(utf8.RuneCountInString(s)), true
	case pe.Excl:
		return r.Get(s).String(), true
	}
	return s, true
}

// assocOrder returns the keys of an associative array in the order bash
// lists them: by bucket of its 1024-bucket FNV-1 hash table (bash keeps
// this size below 2048 entries), ties by key (bash puts the newest key of a
// bucket first, an order spork does not keep).
func assocOrder(m map[string]string) []string {
	type entry struct {
		bucket uint32
		key    string
	}
	entries := make([]entry, 0, len(m))
	for k := range m {
		h := uint32(2166136261)
		for i := 0; i < len(k); i++ {
			h *= 16777619
			h ^= uint32(k[i])
		}
		entries = append(entries, entry{h & 1023, k})
	}
	slices.SortFunc(entries, func(a, b entry) int {
		if a.bucket != b.bucket {
			return int(a.bucket) - int(b.bucket)
		}
		return strings.Compare(a.key, b.key)
	})
	keys := make([]string, len(entries))
	for i, e := range entries {
		keys[i] = e.key
	}
	return keys
}

// Pseudo-variables through which expand lists an associative array's keys
// or values in bash's order: expand itself sorts them, or not at all.
const (
	assocKeysVar = "\x00keys "
	assocValsVar = "\x00vals "
)

// assocList is the value of one of those pseudo-variables.
func (r *Runner) assocList(name string) (expand.Variable, bool) {
	keys := strings.HasPrefix(name, assocKeysVar)
	if !keys && !strings.HasPrefix(name, assocValsVar) {
		return expand.Variable{}, false
	}
	v := r.Get(name[len(assocKeysVar):])
	if v.Kind != expand.Associative {
		return expand.Variable{}, true
	}
	list := assocOrder(v.Map)
	if !keys {
		for i, k := range list {
			list[i] = v.Map[k]
		}
	}
	return expand.Variable{Set: v.IsSet(), Kind: expand.Indexed, List: list}, true
}

// assocView rewrites ${h[@]}, ${h[*]} and ${!h[@]} (with any operator) on
// an associative array h into the same expansion of an indexed
// pseudo-array in bash's order; it returns pe itself otherwise.
func (r *Runner) assocView(pe *syntax.ParamExp) *syntax.ParamExp {
	if pe == nil || pe.Param == nil || pe.Length || pe.Names != 0 || pe.NestedParam != nil || allIndex(pe) == "" {
		return pe
	}
	if pe.Exp != nil && pe.Exp.Op == syntax.OtherParamOps && pe.Exp.Word != nil && pe.Exp.Word.Lit() == "A" {
		return pe // the declare command of the array itself
	}
	name := r.refTarget(pe.Param.Value)
	if r.Get(name).Kind != expand.Associative {
		return pe
	}
	cp := *pe
	prefix := assocValsVar
	if pe.Excl {
		prefix = assocKeysVar
		cp.Excl = false
	}
	cp.Param = &syntax.Lit{ValuePos: pe.Param.ValuePos, ValueEnd: pe.Param.ValueEnd, Value: prefix + name}
	return &cp
}

// assocWord applies assocView to the expansions of w (also inside double
// quotes); it returns w itself when nothing changes.
func (r *Runner) assocWord(w *syntax.Word) *syntax.Word {
	var parts []syntax.WordPart
	for i, p := range w.Parts {
		np := p
		switch q := p.(type) {
		case *syntax.ParamExp:
			if v := r.assocView(q); v != q {
				np = v
			}
		case *syntax.DblQuoted:
			if inner := r.assocWord(&syntax.Word{Parts: q.Parts}); !slices.Equal(inner.Parts, q.Parts) {
				np = &syntax.DblQuoted{Left: q.Left, Right: q.Right, Dollar: q.Dollar, Parts: inner.Parts}
			}
		}
		if np != p && parts == nil {
			parts = append([]syntax.WordPart(nil), w.Parts...)
		}
		if parts != nil {
			parts[i] = np
		}
	}
	if parts == nil {
		return w
	}
	return &syntax.Word{Parts: parts}
}
