package main

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

func TestParseSize(t *testing.T) {
	good := map[string]int64{
		"0": 0, "4096": 4096, "1K": 1 << 10, "512M": 512 << 20, "512m": 512 << 20,
		"1G": 1 << 30, "4G": 4 << 30, "4GB": 4 << 30, "4GiB": 4 << 30, "2T": 2 << 40, "100B": 100,
	}
	for in, want := range good {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "G", "-1", "+1", "1X", "1.5G", "1iB", "0x10", "9999999T", "18446744073709551616"} {
		if got, err := parseSize(in); err == nil {
			t.Errorf("parseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestParseArgsBallast(t *testing.T) {
	for _, argv := range [][]string{{"--ballast", "1M", "-c", "true"}, {"--ballast=1M", "-c", "true"}} {
		inv, err := parseArgs(argv)
		if err != nil || inv.ballast != 1<<20 || !inv.hasCommand || inv.command != "true" {
			t.Errorf("parseArgs(%q) = %+v, %v", argv, inv, err)
		}
	}
	for _, argv := range [][]string{{"--ballast"}, {"--ballast", "lots", "-c", "true"}, {"--ballast="}} {
		if _, err := parseArgs(argv); err == nil || !strings.Contains(err.Error(), "--ballast") {
			t.Errorf("parseArgs(%q): error %v, want a --ballast usage error", argv, err)
		}
	}
}

func TestHoldBallast(t *testing.T) {
	rss := func() int64 {
		data, err := os.ReadFile("/proc/self/status")
		if err != nil {
			t.Skip(err)
		}
		for line := range strings.SplitSeq(string(data), "\n") {
			if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
				n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
				return n << 10
			}
		}
		t.Skip("no VmRSS")
		return 0
	}
	before := rss()
	if err := holdBallast(32 << 20); err != nil {
		t.Fatal(err)
	}
	if len(ballast) != 32<<20 {
		t.Fatalf("ballast is %d bytes", len(ballast))
	}
	if grew := rss() - before; grew < 30<<20 {
		t.Errorf("VmRSS grew by %d bytes, want about 32 MiB", grew)
	}
}
