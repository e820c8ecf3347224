// Package tests holds spork's end-to-end differential test harness.
//
// The harness builds cmd/spork once (TestMain) and runs every case found in
// testdata/cases/*.txt twice: once with a reference shell (dash or bash) and
// once with spork, in the same way (same arguments, stdin, environment and
// working-directory path), then compares stdout and the exit status exactly
// and stderr loosely (see below). It never looks at spork's internals: it
// only runs the built binary.
//
// # Case file format
//
// Each topic file holds any number of cases. A case starts with a header
// line "### name" and runs until the next header or the end of the file.
// Lines before the first header are a free-form file comment. Inside a case,
// a line of the form "# key: value" whose key is one of the directives below
// is a directive; every other line is part of the script (ordinary "#"
// comments stay in the script). Leading and trailing blank lines of the
// script are dropped.
//
//	### name of case
//	# ref: dash                reference shell: dash (default), bash or pinned
//	# mode: file               how the script is given: file (default: as a
//	                           script file argument), c (-c SCRIPT NAME ARGS),
//	                           stdin (on standard input, with -s if ARGS)
//	# args: a 'b c' ""         positional arguments (shell-like quoting, no
//	                           escapes)
//	# name: myname             $0 for mode c (default "script")
//	# flags: -e -u             shell options placed before the script
//	# stdin: text              one line of standard input (newline appended);
//	                           repeat the directive for more lines
//	# stdin-raw: a\tb\n        standard input with \n \t \\ \0 escapes and no
//	                           newline appended (may also be repeated)
//	# stderr: match            match (default): both empty or both non-empty;
//	                           empty; nonempty (both); exact; any (no check)
//	# skip-stderr              same as "# stderr: any"
//	# timeout: 10              seconds per run (default 10)
//	script lines...
//
// A "# ref: pinned" case has no reference shell; it needs a "# why: ..."
// line explaining why spork differs on purpose or why no shell can serve as
// reference, and states its expectation after the script:
//
//	# expect-stdout:
//	literal expected lines (until the next directive or "### ")
//	# expect-status: 0         (default 0)
//	# expect-stderr-contains: text
//
// For a pinned case the default stderr rule is "empty" unless
// expect-stderr-contains or a stderr directive is given.
//
// Whatever the rule, spork's stderr must never contain "panic" or
// "goroutine".
//
// # Running
//
// Each run gets a clean environment (PATH=/usr/local/bin:/usr/bin:/bin,
// HOME, LANG=C, and SH= the shell being run, so that a case can start
// "the same shell" again: $SH -c '...'; never print $SH). The working
// directory is an empty directory whose path is the same for the reference
// run and the spork run (it is emptied between the two), so "pwd" output and
// file-creating cases compare equal. The script file lives outside it, at the
// same path for both runs, so $0 matches too.
//
// Environment variables understood by the harness:
//
//	SPORK_BIN=/path      test this binary instead of building cmd/spork
//	                     (e.g. SPORK_BIN=/bin/dash to check the harness)
//	SPORK_REFS=dash      only run cases whose ref is in this list
//	                     (space or comma separated: dash bash pinned)
//	SPORK_VALIDATE=1     validate the cases themselves: every ref case runs
//	                     its own reference shell twice (determinism and
//	                     self-consistency); pinned cases run against
//	                     $SPORK_BIN if given, else are skipped
//	SPORK_CASES=regexp   only run topic files whose name matches
//	SPORK_JOBS=4         number of cases run at the same time
//	SPORK_SHOW=1         log the reference's output of every case (with -v)
package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

var (
	sporkBin    string // binary under test
	buildErr    error  // set when building cmd/spork failed
	buildOutput string
	validate    bool
	refShells   = map[string]string{}
	jobs        chan struct{}
)

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

// TestSourcesNoted looks at every file the spork binary is built from. This
// package does not import them, so without it `go test` would keep serving
// a cached result after they change: the go command keys a cached test
// result on the files a test opened or stat'ed (while tests run, not in
// TestMain), and so on these.
func TestSourcesNoted(t *testing.T) { noteSources("..") }

func noteSources(root string) {
	for _, name := range []string{"go.mod", "go.sum"} {
		os.Stat(filepath.Join(root, name))
	}
	for _, dir := range []string{"cmd", "shell", "exec", "jobs"} {
		filepath.WalkDir(filepath.Join(root, dir), func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				os.Stat(path)
			}
			return nil
		})
	}
}

func runMain(m *testing.M) int {
	// Descriptors this process was given beyond 0 to 2 (by whatever runs
	// go test) would reach every shell started here, and spork and the
	// reference shells pass them on: close them on exec, for the tests
	// that look at the descriptors children get.
	unix.CloseRange(3, ^uint(0), unix.CLOSE_RANGE_CLOEXEC)
	validate = os.Getenv("SPORK_VALIDATE") != ""
	for _, name := range []string{"dash", "bash"} {
		for _, dir := range []string{"/usr/bin", "/bin", "/usr/local/bin"} {
			p := filepath.Join(dir, name)
			if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
				refShells[name] = p
				break
			}
		}
	}
	n := 4
	if v, err := strconv.Atoi(os.Getenv("SPORK_JOBS")); err == nil && v > 0 {
		n = v
	}
	jobs = make(chan struct{}, n)

	if b := os.Getenv("SPORK_BIN"); b != "" {
		abs, err := exec.LookPath(b)
		if err == nil {
			abs, err = filepath.Abs(abs)
		}
		if err != nil {
			buildErr = fmt.Errorf("SPORK_BIN=%s: %v", b, err)
		}
		sporkBin = abs
		return m.Run()
	}
	if validate {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "spork-e2e-bin-")
	if err != nil {
		buildErr = err
		return m.Run()
	}
	defer os.RemoveAll(dir)
	sporkBin = filepath.Join(dir, "spork")
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		goBin = "go"
	}
	cmd := exec.Command(goBin, "build", "-o", sporkBin, "github.com/spork-sh/spork/cmd/spork")
	cmd.Dir = ".." // module root, relative to the package directory
	out, err := cmd.CombinedOutput()
	if err != nil {
		buildErr = fmt.Errorf("go build ./cmd/spork failed: %v", err)
		buildOutput = string(out)
	}
	return m.Run()
}

// A testCase is one "### " section of a topic file.
type testCase struct {
	file    string
	name    string
	line    int // line of the header
	ref     string
	mode    string
	args    []string
	name0   string
	flags   []string
	stdin   string
	hasIn   bool
	stderr  string
	timeout time.Duration
	script  string
	why     string

	expectStdout   string
	hasStdout      bool
	expectStatus   int
	stderrContains string
}

var directiveRe = regexp.MustCompile(`^# ?([a-z][a-z-]*):(?: (.*))?$`)

var knownDirectives = map[string]bool{
	"ref": true, "mode": true, "args": true, "name": true, "flags": true,
	"stdin": true, "stdin-raw": true, "stderr": true, "timeout": true,
	"why": true, "expect-stdout": true, "expect-status": true,
	"expect-stderr-contains": true,
}

// parseCases reads one topic file.
func parseCases(path string) ([]*testCase, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	base := filepath.Base(path)
	var cases []*testCase
	var cur *testCase
	var script, expect []string
	inExpect := false
	var errs []string
	bad := func(ln int, format string, a ...any) {
		errs = append(errs, fmt.Sprintf("%s:%d: %s", base, ln, fmt.Sprintf(format, a...)))
	}
	finish := func() {
		if cur == nil {
			return
		}
		cur.script = trimBlank(script)
		if cur.hasStdout {
			e := trimBlank(expect)
			if e != "" {
				e += "\n"
			}
			cur.expectStdout = e
		}
		if cur.script == "" {
			bad(cur.line, "case %q has an empty script", cur.name)
		}
		if cur.ref == "pinned" {
			if cur.why == "" {
				bad(cur.line, "pinned case %q needs a '# why:' line", cur.name)
			}
			if !cur.hasStdout {
				bad(cur.line, "pinned case %q needs '# expect-stdout:'", cur.name)
			}
			if cur.stderr == "" {
				if cur.stderrContains != "" {
					cur.stderr = "any"
				} else {
					cur.stderr = "empty"
				}
			}
		} else if cur.hasStdout {
			bad(cur.line, "case %q has expectations but ref %s", cur.name, cur.ref)
		}
		if cur.stderr == "" {
			cur.stderr = "match"
		}
		if cur.mode == "stdin" && cur.hasIn {
			bad(cur.line, "case %q: mode stdin cannot take '# stdin:'", cur.name)
		}
		cases = append(cases, cur)
		cur, script, expect, inExpect = nil, nil, nil, false
	}
	seen := map[string]int{}
	for i, line := range strings.Split(string(data), "\n") {
		ln := i + 1
		if strings.HasPrefix(line, "### ") {
			finish()
			name := strings.TrimSpace(line[4:])
			if prev, ok := seen[name]; ok {
				bad(ln, "duplicate case name %q (first at line %d)", name, prev)
			}
			seen[name] = ln
			cur = &testCase{file: base, name: name, line: ln, ref: "dash",
				mode: "file", name0: "script", timeout: 10 * time.Second}
			continue
		}
		if cur == nil {
			continue
		}
		if line == "# skip-stderr" {
			cur.stderr = "any"
			inExpect = false
			continue
		}
		m := directiveRe.FindStringSubmatch(line)
		if m == nil || !knownDirectives[m[1]] {
			if inExpect {
				expect = append(expect, line)
			} else {
				script = append(script, line)
			}
			continue
		}
		inExpect = false
		key, val := m[1], strings.TrimSpace(m[2])
		switch key {
		case "ref":
			switch val {
			case "dash", "bash", "pinned":
				cur.ref = val
			default:
				bad(ln, "unknown ref %q", val)
			}
		case "mode":
			switch val {
			case "file", "c", "stdin":
				cur.mode = val
			default:
				bad(ln, "unknown mode %q", val)
			}
		case "args":
			a, err := splitArgs(val)
			if err != nil {
				bad(ln, "args: %v", err)
			}
			cur.args = a
		case "name":
			cur.name0 = val
		case "flags":
			cur.flags = strings.Fields(val)
		case "stdin":
			cur.stdin += m[2] + "\n"
			cur.hasIn = true
		case "stdin-raw":
			cur.stdin += unescape(m[2])
			cur.hasIn = true
		case "stderr":
			switch val {
			case "match", "empty", "nonempty", "exact", "any":
				cur.stderr = val
			default:
				bad(ln, "unknown stderr rule %q", val)
			}
		case "timeout":
			s, err := strconv.Atoi(val)
			if err != nil || s <= 0 {
				bad(ln, "bad timeout %q", val)
			}
			cur.timeout = time.Duration(s) * time.Second
		case "why":
			cur.why = val
		case "expect-stdout":
			cur.hasStdout = true
			inExpect = true
		case "expect-status":
			s, err := strconv.Atoi(val)
			if err != nil {
				bad(ln, "bad expect-status %q", val)
			}
			cur.expectStatus = s
		case "expect-stderr-contains":
			cur.stderrContains = val
		}
	}
	finish()
	if len(errs) > 0 {
		return cases, errors.New(strings.Join(errs, "\n"))
	}
	return cases, nil
}

func trimBlank(lines []string) string {
	for len(lines) > 0 && strings.TrimSpace(lines[0]) == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && strings.TrimSpace(lines[len(lines)-1]) == "" {
		lines = lines[:len(lines)-1]
	}
	return strings.Join(lines, "\n")
}

// splitArgs splits a directive value into words: whitespace separates
// words, '...' and "..." quote (no escapes).
func splitArgs(s string) ([]string, error) {
	var out []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\'' || c == '"':
			j := strings.IndexByte(s[i+1:], c)
			if j < 0 {
				return out, fmt.Errorf("unterminated %c in %q", c, s)
			}
			cur.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out, nil
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case '0':
				b.WriteByte(0)
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// result of one run of a shell.
type result struct {
	stdout, stderr string
	status         string // "exit N", "signal N", "timeout", or "error: ..."
}

// runShell runs one case with shell bin in workdir dir.
func runShell(c *testCase, bin, caseDir string) result {
	wd := filepath.Join(caseDir, "wd")
	home := filepath.Join(caseDir, "home")
	for _, d := range []string{wd, home} {
		chmodAll(d)
		os.RemoveAll(d)
		if err := os.MkdirAll(d, 0o755); err != nil {
			return result{status: "error: " + err.Error()}
		}
	}
	scriptPath := filepath.Join(caseDir, "script.sh")
	var argv []string
	argv = append(argv, c.flags...)
	var stdin string
	switch c.mode {
	case "file":
		argv = append(argv, scriptPath)
		argv = append(argv, c.args...)
		stdin = c.stdin
	case "c":
		argv = append(argv, "-c", c.script, c.name0)
		argv = append(argv, c.args...)
		stdin = c.stdin
	case "stdin":
		if len(c.args) > 0 {
			argv = append(argv, "-s")
			argv = append(argv, c.args...)
		}
		stdin = c.script + "\n"
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, argv...)
	cmd.Dir = wd
	cmd.Env = []string{
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + home,
		"LANG=C",
		"SH=" + bin,
	}
	cmd.Stdin = strings.NewReader(stdin)
	var so, se bytes.Buffer
	cmd.Stdout = &so
	cmd.Stderr = &se
	err := runInGroup(cmd)
	r := result{stdout: so.String(), stderr: se.String()}
	switch {
	case ctx.Err() != nil:
		r.status = fmt.Sprintf("timeout after %v", c.timeout)
	case cmd.ProcessState != nil:
		ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			r.status = fmt.Sprintf("signal %d", int(ws.Signal()))
		} else {
			r.status = fmt.Sprintf("exit %d", ws.ExitStatus())
		}
	default:
		r.status = "error: " + err.Error()
	}
	return r
}

// chmodAll makes a tree removable even if a case chmod'ed things.
// runInGroup runs cmd in a process group of its own, killed as a whole when
// cmd's context is cancelled, and kills whatever the group left running in
// the background once cmd has ended.
func runInGroup(cmd *exec.Cmd) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	err := cmd.Run()
	if cmd.Process != nil {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
	return err
}

func chmodAll(dir string) {
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			os.Chmod(p, 0o755)
		}
		return nil
	})
}

func stderrOK(rule, ref, got string) string {
	switch rule {
	case "match":
		if (ref == "") != (got == "") {
			if ref == "" {
				return "reference stderr is empty but spork's is not"
			}
			return "reference wrote to stderr but spork did not"
		}
	case "empty":
		if got != "" || ref != "" {
			return "stderr must be empty"
		}
	case "nonempty":
		if got == "" || ref == "" {
			return "stderr must be non-empty"
		}
	case "exact":
		if got != ref {
			return "stderr differs"
		}
	}
	return ""
}

func runCase(t *testing.T, c *testCase, caseDir string) {
	if err := os.WriteFile(filepath.Join(caseDir, "script.sh"), []byte(c.script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := sporkBin
	var ref result
	refName := c.ref
	if c.ref != "pinned" {
		refBin := refShells[c.ref]
		if refBin == "" {
			t.Skipf("reference shell %s not installed", c.ref)
		}
		if validate {
			bin = refBin
		}
		ref = runShell(c, refBin, caseDir)
	} else if validate && os.Getenv("SPORK_BIN") == "" {
		t.Skip("pinned case: no binary to validate against (set SPORK_BIN)")
	}
	if bin == "" {
		t.Fatal("no spork binary")
	}
	got := runShell(c, bin, caseDir)

	var problems []string
	if c.ref == "pinned" {
		refName = "expected"
		ref = result{stdout: c.expectStdout, status: fmt.Sprintf("exit %d", c.expectStatus)}
		if c.stderrContains != "" && !strings.Contains(got.stderr, c.stderrContains) {
			problems = append(problems, fmt.Sprintf("stderr does not contain %q", c.stderrContains))
		}
		switch c.stderr {
		case "empty":
			if got.stderr != "" {
				problems = append(problems, "stderr must be empty")
			}
		case "nonempty":
			if got.stderr == "" {
				problems = append(problems, "stderr must be non-empty")
			}
		}
	} else if p := stderrOK(c.stderr, ref.stderr, got.stderr); p != "" {
		problems = append(problems, p)
	}
	if got.stdout != ref.stdout {
		problems = append(problems, "stdout differs")
	}
	if got.status != ref.status {
		problems = append(problems, fmt.Sprintf("status differs: %s %s, spork %s", refName, ref.status, got.status))
	}
	if strings.Contains(got.stderr, "panic") || strings.Contains(got.stderr, "goroutine") {
		problems = append(problems, "spork's stderr mentions panic/goroutine")
	}
	if os.Getenv("SPORK_SHOW") != "" {
		t.Logf("%s %s\n--- stdout:\n%s--- stderr:\n%s", refName, ref.status, showText(ref.stdout), showText(ref.stderr))
	}
	if len(problems) == 0 {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d: %s\n", c.file, c.line, strings.Join(problems, "; "))
	fmt.Fprintf(&b, "mode %s, ref %s, flags %q, args %q, tested %s\n", c.mode, c.ref, c.flags, c.args, bin)
	b.WriteString("--- script:\n")
	for i, l := range strings.Split(c.script, "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, l)
	}
	if c.hasIn {
		fmt.Fprintf(&b, "--- stdin: %q\n", c.stdin)
	}
	if got.stdout != ref.stdout {
		fmt.Fprintf(&b, "--- stdout diff (-%s +spork):\n%s", refName, lineDiff(ref.stdout, got.stdout))
	} else {
		fmt.Fprintf(&b, "--- stdout (same):\n%s", showText(got.stdout))
	}
	fmt.Fprintf(&b, "--- status: %s %s, spork %s\n", refName, ref.status, got.status)
	if c.ref != "pinned" {
		fmt.Fprintf(&b, "--- %s stderr:\n%s", refName, showText(ref.stderr))
	}
	fmt.Fprintf(&b, "--- spork stderr:\n%s", showText(got.stderr))
	t.Error(b.String())
}

func showText(s string) string {
	if s == "" {
		return "     (empty)\n"
	}
	var b strings.Builder
	lines := strings.Split(s, "\n")
	noEOL := lines[len(lines)-1] != ""
	if !noEOL {
		lines = lines[:len(lines)-1]
	}
	for _, l := range lines {
		fmt.Fprintf(&b, "     %q\n", l)
	}
	if noEOL {
		b.WriteString("     (no newline at end)\n")
	}
	return b.String()
}

// lineDiff is a small LCS line diff, good enough for case outputs.
func lineDiff(a, b string) string {
	split := func(s string) []string {
		if s == "" {
			return nil
		}
		l := strings.SplitAfter(s, "\n")
		if l[len(l)-1] == "" {
			l = l[:len(l)-1]
		}
		return l
	}
	x, y := split(a), split(b)
	if len(x)*len(y) > 4_000_000 {
		return "-" + showText(a) + "+" + showText(b)
	}
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out strings.Builder
	q := func(prefix, l string) {
		if strings.HasSuffix(l, "\n") {
			fmt.Fprintf(&out, "  %s %q\n", prefix, strings.TrimSuffix(l, "\n"))
		} else {
			fmt.Fprintf(&out, "  %s %q (no newline at end)\n", prefix, l)
		}
	}
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			q(" ", x[i])
			i++
			j++
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			q("+", y[j])
			j++
		default:
			q("-", x[i])
			i++
		}
	}
	return out.String()
}

func refAllowed(ref string) bool {
	v := os.Getenv("SPORK_REFS")
	if v == "" {
		return true
	}
	for _, r := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' }) {
		if r == ref {
			return true
		}
	}
	return false
}

// TestCases runs every case of every topic file in testdata/cases.
func TestCases(t *testing.T) {
	if buildErr != nil {
		t.Fatalf("cannot test spork: %v\n%s", buildErr, buildOutput)
	}
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files found: %v", err)
	}
	sort.Strings(files)
	var only *regexp.Regexp
	if v := os.Getenv("SPORK_CASES"); v != "" {
		only = regexp.MustCompile(v)
	}
	root := t.TempDir()
	known := loadKnownFailures(t)
	runKnown := os.Getenv("SPORK_KNOWN") == "run"
	for _, f := range files {
		topic := strings.TrimSuffix(filepath.Base(f), ".txt")
		if only != nil && !only.MatchString(topic) {
			continue
		}
		cases, err := parseCases(f)
		t.Run(topic, func(t *testing.T) {
			if err != nil {
				t.Fatalf("bad case file:\n%v", err)
			}
			for ci, c := range cases {
				if !refAllowed(c.ref) {
					continue
				}
				caseDir := filepath.Join(root, fmt.Sprintf("%s-%03d", topic, ci))
				key := topic + "/" + strings.ReplaceAll(c.name, " ", "_")
				t.Run(c.name, func(t *testing.T) {
					if known[key] && !runKnown {
						t.Skip("known failure, listed in testdata/known-failures.txt (SPORK_KNOWN=run runs it)")
					}
					t.Parallel()
					jobs <- struct{}{}
					defer func() { <-jobs }()
					if err := os.MkdirAll(caseDir, 0o755); err != nil {
						t.Fatal(err)
					}
					defer func() { chmodAll(caseDir) }()
					runCase(t, c, caseDir)
				})
			}
		})
	}
}

// TestCaseFilesParse checks the case files' syntax without running anything.
func TestCaseFilesParse(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	total := 0
	for _, f := range files {
		cases, err := parseCases(f)
		if err != nil {
			t.Error(err)
		}
		total += len(cases)
	}
	t.Logf("%d case files, %d cases", len(files), total)
}

// loadKnownFailures reads testdata/known-failures.txt: one "topic/case
// name" per line, the cases where spork still differs from its reference.
// They are skipped (and so counted as skips) until fixed.
func loadKnownFailures(t *testing.T) map[string]bool {
	data, err := os.ReadFile(filepath.Join("testdata", "known-failures.txt"))
	if err != nil {
		return nil
	}
	known := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		known[line] = true
	}
	return known
}
