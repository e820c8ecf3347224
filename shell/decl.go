package shell

import (
	"fmt"
	"sort"
	"strings"

	"mvdan.cc/sh/v3/expand"
	"mvdan.cc/sh/v3/syntax"
)

// declItem is one operand of declare/local/export/readonly: either a word
// ("-x", "name", "name=value") or an array assignment.
type declItem struct {
	arg    string
	assign *syntax.Assign
}

func (r *Runner) declClause(c *syntax.DeclClause) int {
	items, ok := r.declItems(c)
	if !ok {
		return 1
	}
	return r.declRun(c, items)
}

// declItems expands the arguments of export, readonly, declare … (ok is
// false after an error, reported).
func (r *Runner) declItems(c *syntax.DeclClause) ([]declItem, bool) {
	var items []declItem
	for _, as := range c.Args {
		switch {
		case as.Naked && as.Name == nil:
			fs, err := r.fields(as.Value)
			if err != nil {
				r.expandError(err)
				return nil, false
			}
			for _, f := range fs {
				items = append(items, declItem{arg: f})
			}
		case as.Array != nil || as.Index != nil:
			items = append(items, declItem{arg: as.Name.Value, assign: as})
		case as.Naked:
			items = append(items, declItem{arg: as.Name.Value})
		default:
			val, err := r.assignValue(as)
			if err != nil {
				return nil, false
			}
			op := "="
			if as.Append {
				op = "+="
			}
			items = append(items, declItem{arg: as.Name.Value + op + val})
		}
	}
	return items, true
}

// declRun runs export, readonly, declare … on its expanded arguments.
func (r *Runner) declRun(c *syntax.DeclClause, items []declItem) int {
	name := c.Variant.Value
	if r.disabled[name] {
		// enable -n: the name is looked up as any command's
		args := []string{name}
		for _, it := range items {
			args = append(args, it.arg)
		}
		return r.callArgs(nil, args)
	}
	if r.opts.xtrace {
		var parts []string
		for _, it := range items {
			parts = append(parts, shellQuote(it.arg))
		}
		r.trace(strings.TrimSpace(name + " " + strings.Join(parts, " ")))
	}
	st := r.declare(name, items)
	if len(items) > 0 {
		r.lastArg, r.lastArgSet = items[len(items)-1].arg, true
	} else {
		r.lastArg, r.lastArgSet = name, true
	}
	if st != 0 && isSpecialBuiltin(name) && !r.opts.interactive && r.ctl == ctlNone && st == 2 && !r.declSoftError {
		r.exit(st)
	}
	return st
}

// declBuiltin runs declare and friends called by name (command export …).
func declBuiltin(r *Runner, args []string) int {
	items := make([]declItem, len(args)-1)
	for i, a := range args[1:] {
		items[i] = declItem{arg: a}
	}
	return r.declare(args[0], items)
}

func init() {
	for _, n := range []string{"declare", "typeset", "local", "export", "readonly"} {
		builtins[n] = declBuiltin
	}
}

// declare implements declare, typeset, local, export and readonly.
func (r *Runner) declare(variant string, items []declItem) int {
	r.declSoftError = false
	var (
		exported, readonly, indexed, assoc, global, print, unexport, funcs, nameref bool
		funcNames                                                                   bool
		addAttr, delAttr                                                            varAttr
	)
	switch variant {
	case "export":
		exported = true
	case "readonly":
		readonly = true
	case "local":
		if r.funcDepth == 0 {
			r.errorf("local: can only be used in a function")
			return 1
		}
	}
	var names []declItem
	optsDone := false
	for _, it := range items {
		a := it.arg
		if it.assign == nil && !optsDone && len(a) > 1 && (a[0] == '-' || a[0] == '+') {
			if a == "--" {
				optsDone = true
				continue
			}
			on := a[0] == '-'
			for _, c := range a[1:] {
				switch c {
				case 'x':
					exported = on
					unexport = !on
				case 'r':
					readonly = on
				case 'a':
					indexed = on
				case 'A':
					assoc = on
				case 'i':
					if on {
						addAttr, delAttr = addAttr|attrInt, delAttr&^attrInt
					} else {
						delAttr |= attrInt
					}
				case 'g':
					global = on
				case 'p':
					print = true
				case 'n':
					if variant == "export" {
						unexport = true
					} else {
						nameref = on
					}
				case 'f', 'F':
					funcs = true
					funcNames = funcNames || c == 'F'
				case 'l':
					if on {
						addAttr, delAttr = addAttr&^attrUpper|attrLower, delAttr|attrUpper
					} else {
						delAttr |= attrLower
					}
				case 'u':
					if on {
						addAttr, delAttr = addAttr&^attrLower|attrUpper, delAttr|attrLower
					} else {
						delAttr |= attrUpper
					}
				default:
					return r.usageError(variant, "-%c: invalid option", c)
				}
			}
			continue
		}
		optsDone = true
		names = append(names, it)
	}
	if funcs {
		if (variant == "export" || variant == "readonly") && len(names) > 0 {
			// export -f f, readonly -f f: the functions must exist
			// (their attributes are not kept)
			st := 0
			for _, it := range names {
				if r.funcs.m[it.arg] == nil {
					r.errorf("%s: %s: not a function", variant, it.arg)
					st = 1
				}
			}
			return st
		}
		return r.printFuncs(names, funcNames)
	}
	if len(names) == 0 || (print && variant != "local") {
		if len(names) == 0 {
			// declare -a, -A, -n, -i, -l, -u: only the variables that are so
			keep := func(n string, v expand.Variable) bool {
				return (!indexed || v.Kind == expand.Indexed) && (!assoc || v.Kind == expand.Associative) &&
					(!nameref || v.Kind == expand.NameRef) && r.attrOf(n)&addAttr == addAttr
			}
			r.printVars(variant, exported, readonly, print, keep)
			return 0
		}
		st := 0
		for _, it := range names {
			v := r.Get(it.arg)
			if !v.Declared() {
				r.errorf("%s: %s: not found", variant, it.arg)
				st = 1
				continue
			}
			r.out(r.declLine(it.arg, v) + "\n")
		}
		return st
	}
	local := variant == "local" || ((variant == "declare" || variant == "typeset") && r.funcDepth > 0 && !global)
	st := 0
	for _, it := range names {
		name, val, hasVal := strings.Cut(it.arg, "=")
		appendOp := false
		if hasVal && strings.HasSuffix(name, "+") {
			name = strings.TrimSuffix(name, "+")
			appendOp = true
		}
		if idx := strings.IndexByte(name, '['); idx > 0 && it.assign == nil && hasVal &&
			strings.HasSuffix(name, "]") && len(name) > idx+2 {
			// name[i]=v given as a word
			p := syntax.NewParser()
			if w, err := p.Document(strings.NewReader(name[idx+1 : len(name)-1])); err == nil {
				as := &syntax.Assign{Name: &syntax.Lit{Value: name[:idx]}, Index: w}
				if err := r.assignIndex(as, val); err != nil {
					st = 1
				}
				continue
			}
		}
		if it.arg == "-" && variant == "local" && it.assign == nil {
			// local -: the set options come back when the function returns
			r.localOpts = append(r.localOpts, optsSave{r.funcDepth, r.opts})
			continue
		}
		if !checkName(name) {
			r.errorf("%s: `%s': not a valid identifier", variant, it.arg)
			st = 1
			if variant == "export" || variant == "readonly" {
				if !r.opts.interactive && r.opts.posix {
					r.exit(1)
				}
			}
			continue
		}
		if unexport && variant == "export" && hasVal {
			// export -n name=value: an error, the value is not assigned (osh)
			r.errorf("export: -n: %s: cannot assign with -n", name)
			st = 2
			r.declSoftError = true
			continue
		}
		r.ownVars()
		if local {
			outer, _ := r.lookup(name)
			if outer.ReadOnly {
				// a local cannot hide a read-only variable (osh, dash)
				r.errorf("local: %s: readonly variable", name)
				if !r.opts.interactive {
					r.exit(1)
				}
				return 1
			}
			top := len(r.vs.frames) - 1
			if r.vs.frames[top] == nil {
				r.vs.frames[top] = make(scope)
			}
			if _, ok := r.vs.frames[top][name]; !ok {
				// a new local starts unset (or with the global's value under
				// dash; bash's behaviour is used), exported when the
				// variable it hides is (local LC_ALL=C reaches commands),
				// as in bash and dash
				r.vs.frames[top][name] = expand.Variable{Local: true, Exported: outer.Exported}
			}
		}
		attrs := (r.attrOf(name) | addAttr) &^ delAttr
		if attrs != r.attrOf(name) {
			r.setAttr(name, attrs, local)
		}
		old, sc := r.lookup(name)
		if sc == nil {
			sc = r.vs.globals
		}
		if old.ReadOnly && (hasVal || it.assign != nil) {
			r.errorf("%s: readonly variable", name)
			st = 1
			continue
		}
		if indexed && old.Kind == expand.Associative || assoc && old.Kind == expand.Indexed {
			from, to := "indexed", "associative"
			if indexed {
				from, to = to, from
			}
			r.errorf("%s: %s: cannot convert %s to %s array", variant, name, from, to)
			st = 1
			continue
		}
		v := old
		if exported {
			v.Exported = true
		}
		if unexport {
			v.Exported = false
		}
		if readonly {
			v.ReadOnly = true
		}
		if nameref {
			v.Kind = expand.NameRef
		}
		if indexed && v.Kind != expand.Indexed {
			v.Kind = expand.Indexed
			if old.IsSet() && old.Kind == expand.String {
				v.List = []string{old.Str}
			}
		}
		if assoc && v.Kind != expand.Associative {
			v.Kind = expand.Associative
			v.Map = map[string]string{}
			if old.IsSet() && old.Kind == expand.String {
				v.Map["0"] = old.Str // a string becomes element "0", as bash
			}
		}
		if hasVal {
			if attrs != 0 && v.Kind != expand.NameRef {
				nv, err := r.applyAttrs(attrs, val, old.String(), appendOp)
				if err != nil {
					r.expandError(err)
					st = 1
					continue
				}
				val = nv
			} else if appendOp {
				val = old.String() + val
			}
			switch v.Kind {
			case expand.Indexed:
				v.List = append([]string(nil), v.List...)
				if len(v.List) == 0 {
					v.List = []string{val}
				} else {
					v.List[0] = val
				}
			case expand.Associative:
				if v.Map == nil {
					v.Map = map[string]string{}
				}
				v.Map["0"] = val
			default:
				if v.Kind != expand.NameRef {
					v.Kind = expand.String
				}
				v.Str = val
			}
			v.Set = true
		}
		if r.opts.allexport && (hasVal || it.assign != nil) {
			v.Exported = true
		}
		if v.Kind == expand.Unknown && (variant == "declare" || variant == "typeset") {
			v.Kind = expand.String // declare x: declared, still unset
		}
		sc[name] = v
		r.varChanged(name)
		if it.assign != nil {
			ro := v.ReadOnly
			v.ReadOnly = false
			sc[name] = v
			var err error
			if it.assign.Index != nil {
				val, _ := r.assignValue(it.assign)
				err = r.assignIndex(it.assign, val)
			} else {
				err = r.assignArray(it.assign)
			}
			if err != nil {
				st = 1
			}
			if ro {
				v2, sc2 := r.lookup(name)
				v2.ReadOnly = true
				sc2[name] = v2
			}
		}
	}
	return st
}

// declLine prints a variable as declare -p does.
func (r *Runner) declLine(name string, v expand.Variable) string {
	flags := r.attrFlags(name, v.Flags())
	if flags == "" {
		flags = "-"
	}
	if !v.IsSet() {
		if flags == "-" {
			return "declare -- " + name
		}
		return fmt.Sprintf("declare -%s %s", strings.TrimPrefix(flags, "-"), name)
	}
	switch v.Kind {
	case expand.Indexed:
		var b strings.Builder
		for i, e := range v.List {
			idx := i
			if v.Indexes != nil {
				idx = v.Indexes[i]
			}
			if i > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "[%d]=%s", idx, dquote(e))
		}
		return fmt.Sprintf("declare -%s %s=(%s)", strings.TrimPrefix(flags, "-"), name, b.String())
	case expand.Associative:
		var b strings.Builder
		for _, k := range assocOrder(v.Map) {
			key := k
			if k == "" || strings.ContainsAny(k, " \t\n\"'\\$`;&|<>()[]*?~#!{}=") {
				key = dquote(k)
			}
			fmt.Fprintf(&b, "[%s]=%s ", key, dquote(v.Map[k]))
		}
		return fmt.Sprintf("declare -%s %s=(%s)", strings.TrimPrefix(flags, "-"), name, b.String())
	}
	if v.Kind == expand.NameRef {
		return fmt.Sprintf("declare -%s %s=%s", flags, name, dquote(v.Str))
	}
	return fmt.Sprintf("declare -%s %s=%s", flags, name, dquote(v.String()))
}

// dquote quotes s in double quotes as bash's declare -p does.
func dquote(s string) string {
	if hasControlChar(s) {
		return ansicQuote(s) // $'a\nb', as bash prints control characters
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, c := range s {
		if c == '"' || c == '\\' || c == '$' || c == '`' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// printVars lists variables for export -p, readonly -p, declare -p, set;
// keep, when given, picks the variables to list among the others.
func (r *Runner) printVars(variant string, exported, readonly, print bool, keep func(string, expand.Variable) bool) {
	names := []string{}
	vals := map[string]expand.Variable{}
	r.Each(func(name string, v expand.Variable) bool {
		if _, seen := vals[name]; seen {
			return true
		}
		vals[name] = v
		names = append(names, name)
		return true
	})
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		v := vals[n]
		switch variant {
		case "export", "readonly":
			if variant == "export" && !v.Exported || variant == "readonly" && !v.ReadOnly {
				continue
			}
			if v.IsSet() {
				fmt.Fprintf(&b, "%s %s=%s\n", variant, n, singleQuote(v.String()))
			} else {
				fmt.Fprintf(&b, "%s %s\n", variant, n)
			}
		case "set":
			// name=value, quoted for re-input; arrays as bash prints them
			if !v.IsSet() {
				continue
			}
			switch v.Kind {
			case expand.Indexed, expand.Associative:
				line := r.declLine(n, v)
				if i := strings.Index(line, n+"="); i >= 0 {
					b.WriteString(line[i:] + "\n")
				}
			default:
				fmt.Fprintf(&b, "%s=%s\n", n, setQuote(v.String()))
			}
		default:
			if exported && !v.Exported || readonly && !v.ReadOnly || keep != nil && !keep(n, v) {
				continue
			}
			b.WriteString(r.declLine(n, v) + "\n")
		}
	}
	r.out(b.String())
}

// setQuote quotes a value as set prints it: in single quotes, or as
// $'...' when it holds control characters, so that each variable stays
// on one line.
func setQuote(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			return ansicQuote(s)
		}
	}
	return singleQuote(s)
}

// singleQuote quotes s for re-input, as dash's export -p does.
func singleQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func (r *Runner) printFuncs(names []declItem, namesOnly bool) int {
	var list []string
	if len(names) == 0 {
		for n := range r.funcs.m {
			list = append(list, n)
		}
		sort.Strings(list)
	} else {
		for _, it := range names {
			list = append(list, it.arg)
		}
	}
	st := 0
	for _, n := range list {
		body := r.funcs.m[n]
		if body == nil {
			st = 1
			continue
		}
		switch {
		case namesOnly && len(names) > 0:
			r.out(n + "\n")
		case namesOnly:
			r.out("declare -f " + n + "\n")
		default:
			r.out(n + " () \n" + printNode(body) + "\n")
		}
	}
	return st
}
