package shell

import (
	"io"
	"os"
	"strings"

	"golang.org/x/sys/unix"
)

// RunString runs a -c command string.
func (r *Runner) RunString(src string) int {
	return r.RunReader(strings.NewReader(src), "")
}

// RunFile runs a script file.
func (r *Runner) RunFile(f *os.File) int {
	data, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		r.errorf("%s: %s", f.Name(), ErrorText(err))
		return 126
	}
	if isBinary(data) {
		r.errorf("%s: cannot execute binary file", f.Name())
		return 126
	}
	return r.RunReader(strings.NewReader(string(data)), f.Name())
}

// RunStdin runs commands read from standard input, reading no further
// than each command needs, so commands that read standard input
// themselves see the rest.
func (r *Runner) RunStdin() int {
	return r.RunReader(&lineReader{fd: 0}, "")
}

// lineReader reads at most one line per call. On a seekable file it reads
// ahead and seeks back; on a pipe or terminal it reads a byte at a time.
type lineReader struct {
	fd       int
	seekable int // 0 unknown, 1 yes, -1 no
}

func (l *lineReader) Read(p []byte) (int, error) {
	if l.seekable == 0 {
		l.seekable = -1
		if _, err := unix.Seek(l.fd, 0, io.SeekCurrent); err == nil {
			l.seekable = 1
		}
	}
	if l.seekable == 1 {
		n, err := readFd(l.fd, p)
		if n <= 0 {
			if err == nil {
				return 0, io.EOF
			}
			return 0, err
		}
		if i := indexByte(p[:n], '\n'); i >= 0 && i+1 < n {
			unix.Seek(l.fd, int64(i+1-n), io.SeekCurrent)
			n = i + 1
		}
		return n, nil
	}
	i := 0
	for i < len(p) {
		n, err := readFd(l.fd, p[i:i+1])
		if n <= 0 {
			if i > 0 {
				return i, nil
			}
			if err == nil {
				return 0, io.EOF
			}
			return 0, err
		}
		i++
		if p[i-1] == '\n' {
			break
		}
	}
	return i, nil
}

func indexByte(b []byte, c byte) int {
	for i, x := range b {
		if x == c {
			return i
		}
	}
	return -1
}
