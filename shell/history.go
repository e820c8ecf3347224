package shell

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The command history of an interactive shell. Each command typed at the
// prompt is one entry (a command typed over several lines too), numbered
// from 1 as bash numbers them. The entries are kept in $HISTFILE (default
// ~/.spork_history, created with mode 0600): loaded when the shell starts,
// each accepted entry appended at once, so the history survives restarts
// and several shells add to the same file. The file is in bash's format
// with timestamps: a "#<seconds>" line before each entry, so that an entry
// of several lines reads back as one.
//
// $HISTSIZE (default 500) bounds the entries kept in memory, $HISTFILESIZE
// (default $HISTSIZE) those kept in the file, which is cut down when it
// grows past it; a negative or non-numeric value means no limit.
// $HISTCONTROL works as in bash (ignorespace, ignoredups, ignoreboth,
// erasedups); unset, it means ignoreboth: a line starting with a space
// and a repeat of the previous entry are not stored.

// defaultHistSize is the default of $HISTSIZE, as in bash.
const defaultHistSize = 500

// history is the list of entries and the file they are kept in.
type history struct {
	mu        sync.Mutex
	enabled   bool     // an interactive shell keeps history
	entries   []string // oldest first
	base      int      // number of entries[0]
	file      string   // history file; "" for none
	fileCount int      // entries in the file, as far as this shell knows
	fileErr   bool     // a file error was reported already
	gen       uint64   // bumped on every change, for the line editor
	// lineAdded reports whether the last line given to addHistory was
	// stored (bash's hist_last_line_added): fc leaves its own line out.
	lineAdded bool
}

// nextNumber is the number the next entry will get (\! in prompts).
func (h *history) nextNumber() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.nextLocked()
}

func (h *history) nextLocked() int {
	if h.base == 0 {
		return 1 + len(h.entries)
	}
	return h.base + len(h.entries)
}

// snapshot returns a copy of the entries and the generation they are of.
func (h *history) snapshot() ([]string, uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.entries...), h.gen
}

// trimLocked drops the oldest entries beyond size (size < 0: no limit).
func (h *history) trimLocked(size int) {
	if h.base == 0 {
		h.base = 1
	}
	if size >= 0 && len(h.entries) > size {
		drop := len(h.entries) - size
		h.entries = append([]string(nil), h.entries[drop:]...)
		h.base += drop
		h.gen++
	}
}

// historyControl is what $HISTCONTROL asks.
type historyControl struct {
	ignoreSpace, ignoreDups, eraseDups bool
}

func (r *Runner) historyControl() historyControl {
	v := r.Get("HISTCONTROL")
	if !v.IsSet() {
		return historyControl{ignoreSpace: true, ignoreDups: true}
	}
	var c historyControl
	for _, w := range strings.Split(v.String(), ":") {
		switch w {
		case "ignorespace":
			c.ignoreSpace = true
		case "ignoredups":
			c.ignoreDups = true
		case "ignoreboth":
			c.ignoreSpace, c.ignoreDups = true, true
		case "erasedups":
			c.eraseDups = true
		}
	}
	return c
}

// histLimit reads a size variable: unset gives def, a negative or
// non-numeric value -1 (no limit).
func (r *Runner) histLimit(name string, def int) int {
	v := r.Get(name)
	if !v.IsSet() {
		return def
	}
	n, err := strconv.Atoi(strings.TrimSpace(v.String()))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func (r *Runner) histSize() int { return r.histLimit("HISTSIZE", defaultHistSize) }

func (r *Runner) histFileSize() int { return r.histLimit("HISTFILESIZE", r.histSize()) }

// initHistory sets the history variables an interactive shell starts
// with, as bash does, unless the environment set them.
func (r *Runner) initHistory() {
	if !r.Get("HISTFILE").IsSet() {
		if home := r.getString("HOME"); home != "" {
			r.setString("HISTFILE", filepath.Join(home, ".spork_history"))
		}
	}
	if !r.Get("HISTSIZE").IsSet() {
		r.setString("HISTSIZE", strconv.Itoa(defaultHistSize))
	}
	if !r.Get("HISTFILESIZE").IsSet() {
		r.setString("HISTFILESIZE", r.getString("HISTSIZE"))
	}
}

// loadHistory turns history on and reads $HISTFILE.
func (r *Runner) loadHistory() {
	h := &r.sh.ia.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	h.enabled = true
	h.file = r.getString("HISTFILE")
	if h.file == "" {
		h.trimLocked(r.histSize())
		return
	}
	data, err := os.ReadFile(h.file)
	if err != nil {
		if !os.IsNotExist(err) {
			r.errorf("history: %s: %s", h.file, ErrorText(err))
		}
		h.trimLocked(r.histSize())
		return
	}
	loaded := parseHistoryFile(string(data))
	h.fileCount = len(loaded)
	h.entries = append(h.entries, loaded...)
	h.gen++
	h.trimLocked(r.histSize())
}

// isHistoryTimestamp reports whether a history file line is a "#seconds"
// timestamp line.
func isHistoryTimestamp(line string) bool {
	if len(line) < 2 || line[0] != '#' {
		return false
	}
	for i := 1; i < len(line); i++ {
		if line[i] < '0' || line[i] > '9' {
			return false
		}
	}
	return true
}

// parseHistoryFile splits a history file into entries: with timestamp
// lines, everything between two of them is one entry; lines before the
// first timestamp (or in a file without any) are an entry each.
func parseHistoryFile(data string) []string {
	lines := strings.Split(strings.TrimSuffix(data, "\n"), "\n")
	var entries []string
	var cur []string
	inEntry := false
	flush := func() {
		if inEntry {
			e := strings.TrimRight(strings.Join(cur, "\n"), "\n")
			if e != "" {
				entries = append(entries, e)
			}
		}
		cur, inEntry = cur[:0], false
	}
	for _, l := range lines {
		switch {
		case isHistoryTimestamp(l):
			flush()
			inEntry = true
		case inEntry:
			cur = append(cur, l)
		case l != "":
			entries = append(entries, l)
		}
	}
	flush()
	return entries
}

// formatHistoryEntry is an entry as the file holds it.
func formatHistoryEntry(e string, t time.Time) string {
	return "#" + strconv.FormatInt(t.Unix(), 10) + "\n" + e + "\n"
}

// addHistory stores entry, the history text of a command typed as typed,
// as $HISTCONTROL says, and appends it to the history file.
func (r *Runner) addHistory(entry, typed string) {
	h := &r.sh.ia.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	h.lineAdded = false
	if !h.enabled || !r.opts.history || strings.TrimSpace(entry) == "" {
		return
	}
	ctl := r.historyControl()
	if ctl.ignoreSpace && (typed[0] == ' ' || typed[0] == '\t') {
		return
	}
	if ctl.ignoreDups && len(h.entries) > 0 && h.entries[len(h.entries)-1] == entry {
		return
	}
	if ctl.eraseDups {
		kept := h.entries[:0]
		for _, e := range h.entries {
			if e != entry {
				kept = append(kept, e)
			}
		}
		h.entries = kept
	}
	if h.base == 0 {
		h.base = 1
	}
	h.entries = append(h.entries, entry)
	h.gen++
	h.lineAdded = true
	h.trimLocked(r.histSize())
	h.file = r.getString("HISTFILE")
	if h.file == "" {
		return
	}
	if err := appendFile(h.file, formatHistoryEntry(entry, time.Now())); err != nil {
		r.historyFileError(err)
		return
	}
	h.fileCount++
	if max := r.histFileSize(); max >= 0 && h.fileCount > max {
		if err := truncateHistoryFile(h.file, max); err != nil {
			r.historyFileError(err)
			return
		}
		h.fileCount = max
	}
}

// dropLastLine removes the entry of the line being run, when it was
// stored, from the history and from the end of the history file (fc's
// line gives way to the commands it runs). A subshell leaves the history
// alone.
func (r *Runner) dropLastLine() {
	h := &r.sh.ia.hist
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.lineAdded || len(h.entries) == 0 || r.subshellDepth > 0 {
		return
	}
	h.lineAdded = false
	last := h.entries[len(h.entries)-1]
	h.entries = h.entries[:len(h.entries)-1]
	h.gen++
	if h.file == "" {
		return
	}
	if err := dropHistoryFileEntry(h.file, last); err != nil {
		r.historyFileError(err)
		return
	}
	h.fileCount--
}

// dropHistoryFileEntry cuts entry off the end of a history file, when it
// is the file's last entry (another shell may have added to the file
// since); the rest of the file is left as it is.
func dropHistoryFileEntry(path, entry string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	text := string(data)
	start := len(text) - len(entry) - 1
	if start < 0 || text[start:] != entry+"\n" || (start > 0 && text[start-1] != '\n') {
		return nil
	}
	// its timestamp line goes with it
	if start > 0 {
		i := strings.LastIndexByte(text[:start-1], '\n') + 1
		if isHistoryTimestamp(text[i : start-1]) {
			start = i
		}
	}
	return os.Truncate(path, int64(start))
}

// historyFileError reports the first failure to write the history file.
func (r *Runner) historyFileError(err error) {
	if r.sh.ia.hist.fileErr {
		return
	}
	r.sh.ia.hist.fileErr = true
	r.errorf("history: %s: %s", r.sh.ia.hist.file, ErrorText(err))
}

// appendFile appends s to the file at path, creating it with mode 0600.
func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	_, err = f.WriteString(s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// truncateHistoryFile keeps the last max entries of a history file,
// replacing it atomically and keeping its mode.
func truncateHistoryFile(path string, max int) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	entries := parseHistoryFile(string(data))
	if len(entries) <= max {
		return nil
	}
	return writeHistoryFile(path, entries[len(entries)-max:])
}

// writeHistoryFile replaces a history file with entries.
func writeHistoryFile(path string, entries []string) error {
	mode := os.FileMode(0o600)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	var b strings.Builder
	now := time.Now()
	for _, e := range entries {
		b.WriteString(formatHistoryEntry(e, now))
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	_, err = tmp.WriteString(b.String())
	if err == nil {
		err = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
	}
	return err
}

const historyUsage = "history: usage: history [-c] [-d offset] [n] or history -w [filename]\n"

// historyBuiltin lists the history (all of it, or the last n entries),
// clears it (-c), deletes an entry (-d offset) or writes it to the history
// file (-w [file]).
func historyBuiltin(r *Runner, args []string) int {
	opts, rest, bad, missing := builtinGetopt(args[1:], "cd:w")
	if bad != "" {
		return r.optError("history", bad, missing, historyUsage)
	}
	h := &r.sh.ia.hist
	for _, o := range opts {
		switch o.c {
		case 'c':
			if r.subshellDepth > 0 {
				continue // a subshell's copy of the history goes with it
			}
			h.mu.Lock()
			h.entries, h.base = nil, 1
			h.gen++
			h.mu.Unlock()
		case 'd':
			return r.historyDelete(o.arg)
		case 'w':
			h.mu.Lock()
			path := h.file
			if len(rest) > 0 {
				path = rest[0]
			} else if path == "" {
				path = r.getString("HISTFILE")
			}
			entries := append([]string(nil), h.entries...)
			h.mu.Unlock()
			if path == "" {
				return 0
			}
			if err := writeHistoryFile(r.abs(path), entries); err != nil {
				r.errorf("history: %s: %s", path, ErrorText(err))
				return 1
			}
			if path == h.file {
				h.mu.Lock()
				h.fileCount = len(entries)
				h.mu.Unlock()
			}
			return 0
		}
	}
	if len(opts) > 0 {
		return 0
	}
	h.mu.Lock()
	h.trimLocked(r.histSize())
	entries, base := append([]string(nil), h.entries...), h.base
	h.mu.Unlock()
	first := 0
	if len(rest) > 0 {
		n, err := strconv.Atoi(rest[0])
		if err != nil || n < 0 {
			r.errorf("history: %s: numeric argument required", rest[0])
			return 2 // a usage error (bash: 1)
		}
		if len(rest) > 1 {
			r.errorf("history: too many arguments")
			return 2
		}
		if n < len(entries) {
			first = len(entries) - n
		}
	}
	var b strings.Builder
	for i := first; i < len(entries); i++ {
		fmt.Fprintf(&b, "%5d  %s\n", base+i, entries[i])
	}
	return r.out(b.String())
}

// historyDelete removes the entry at offset (negative: from the end).
func (r *Runner) historyDelete(arg string) int {
	h := &r.sh.ia.hist
	n, err := strconv.Atoi(arg)
	if err != nil {
		r.errorf("history: %s: numeric argument required", arg)
		return 1
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	i := n - h.base
	if n < 0 {
		i = len(h.entries) + n
	}
	if i < 0 || i >= len(h.entries) {
		r.errorf("history: %s: history position out of range", arg)
		return 1
	}
	if r.subshellDepth == 0 {
		h.entries = append(h.entries[:i:i], h.entries[i+1:]...)
		h.gen++
	}
	return 0
}

func init() {
	builtins["history"] = historyBuiltin
	builtinHelp["history"] = "history [-c] [-d offset] [n] or history -w [filename] - display or change the command history"
}
