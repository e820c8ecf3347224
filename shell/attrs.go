package shell

import (
	"strconv"
	"strings"
)

// varAttr holds bash's value attributes of a variable, which
// expand.Variable has no room for: declare -i (the value is evaluated as
// arithmetic when assigned), -l and -u (it is lowercased or uppercased).
type varAttr uint8

const (
	attrInt varAttr = 1 << iota
	attrLower
	attrUpper
)

// attrOf returns the value attributes of name.
func (r *Runner) attrOf(name string) varAttr {
	if r.vs.attrs == nil {
		return 0
	}
	return r.vs.attrs[name]
}

// setAttr replaces the value attributes of name. In a function, a local
// variable's attributes are undone when the function returns.
func (r *Runner) setAttr(name string, a varAttr, local bool) {
	r.ownVars()
	prev := r.attrOf(name)
	if prev == a {
		return
	}
	if r.vs.attrs == nil {
		r.vs.attrs = map[string]varAttr{}
	}
	if local && r.funcDepth > 0 {
		r.attrUndo = append(r.attrUndo, attrSave{r.funcDepth, name, prev})
	}
	if a == 0 {
		delete(r.vs.attrs, name)
		return
	}
	r.vs.attrs[name] = a
}

// attrSave remembers a variable's attributes before a function's local
// declaration changed them.
type attrSave struct {
	depth int
	name  string
	prev  varAttr
}

// undoLocalAttrs puts back the attributes that locals of the function at
// depth changed.
func (r *Runner) undoLocalAttrs(depth int) {
	for len(r.attrUndo) > 0 {
		u := r.attrUndo[len(r.attrUndo)-1]
		if u.depth < depth {
			return
		}
		r.attrUndo = r.attrUndo[:len(r.attrUndo)-1]
		r.ownVars()
		if u.prev == 0 {
			delete(r.vs.attrs, u.name)
		} else {
			r.vs.attrs[u.name] = u.prev
		}
	}
}

// applyAttrs turns a value being assigned to a variable with attributes
// into the value stored; old is the current value, for +=.
func (r *Runner) applyAttrs(a varAttr, value, old string, appendOp bool) (string, error) {
	if a&attrInt != 0 {
		n, err := r.arithValue(value)
		if err != nil {
			return "", err
		}
		if appendOp {
			o, _ := r.arithValue(old)
			n += o
		}
		return strconv.Itoa(n), nil
	}
	if appendOp {
		value = old + value
	}
	switch {
	case a&attrLower != 0:
		value = strings.ToLower(value)
	case a&attrUpper != 0:
		value = strings.ToUpper(value)
	}
	return value, nil
}

// arithValue evaluates text as an arithmetic expression ("" is 0).
func (r *Runner) arithValue(text string) (int, error) {
	if strings.TrimSpace(text) == "" {
		return 0, nil
	}
	x, err := parseArithParens(text)
	if err != nil {
		return 0, err
	}
	return r.arith(x)
}

// attrFlags adds the letters of name's value attributes to declare -p's
// flags, in bash's order.
func (r *Runner) attrFlags(name, flags string) string {
	a := r.attrOf(name)
	if a == 0 {
		return flags
	}
	if a&attrInt != 0 {
		flags += "i"
	}
	if a&attrLower != 0 {
		flags += "l"
	}
	if a&attrUpper != 0 {
		flags += "u"
	}
	var b strings.Builder
	for _, c := range "aAinrtxlu" {
		if strings.ContainsRune(flags, c) {
			b.WriteRune(c)
		}
	}
	return b.String()
}
