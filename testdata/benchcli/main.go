// Command benchcli runs command lines in interleaved rounds and prints, for
// each, the median wall time, CPU time (user+system) and peak RSS of the
// whole process (from wait4's rusage), as a Markdown table, then the
// ratios asked of them. It is the measuring half of .ci/bench-cli, which
// sets up the session, the profiles and the app.
//
// Usage: benchcli -runs N -spec FILE
//
// The spec has one case a line, "LABEL<TAB>STDIN<TAB>ARGV…" (fields
// separated by tabs; STDIN is a string with \n escapes, "-" for none), and
// goal lines "goal<TAB>LABEL<TAB>OP<TAB>REF<TAB>FACTOR", meaning
// median wall of LABEL ≤ FACTOR × median wall of REF, or "goal<TAB>LABEL<TAB>rss<TAB>MIB".
// A case whose command exits non-zero fails the run (a benchmark of an
// error is no benchmark).
//
// Build: go build -o bin/benchcli ./testdata/benchcli (testdata is outside ./...)
package main

import (
	"bufio"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type bcase struct {
	label, stdin string
	argv         []string
	wall, cpu    []time.Duration
	rss          []int64 // KiB
}

type goal struct {
	label, kind, ref string
	factor           float64
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("benchcli: ")
	runs := flag.Int("runs", 15, "interleaved rounds")
	spec := flag.String("spec", "", "the spec file")
	flag.Parse()
	cases, goals := readSpec(*spec)
	for _, c := range cases { // warm up: page cache, first-run migrations
		run(c)
	}
	for range *runs {
		for _, c := range cases {
			w, u, r := run(c)
			c.wall, c.cpu, c.rss = append(c.wall, w), append(c.cpu, u), append(c.rss, r)
		}
	}
	fmt.Printf("| command (median of %d interleaved runs) | wall ms | CPU ms | peak RSS MiB |\n|---|---:|---:|---:|\n", *runs)
	by := map[string]*bcase{}
	for _, c := range cases {
		by[c.label] = c
		fmt.Printf("| %s | %.1f | %.1f | %.1f |\n", c.label, ms(median(c.wall)), ms(median(c.cpu)), mib(medianInt(c.rss)))
	}
	if len(goals) == 0 {
		return
	}
	fmt.Printf("\n| goal | measured | bound | |\n|---|---:|---:|---|\n")
	for _, g := range goals {
		c := by[g.label]
		if c == nil {
			log.Fatalf("goal names no case %q", g.label)
		}
		if g.kind == "rss" {
			got := mib(medianInt(c.rss))
			fmt.Printf("| %s peak RSS | %.1f MiB | ≤ %.0f MiB | %s |\n", g.label, got, g.factor, verdict(got <= g.factor))
			continue
		}
		r := by[g.ref]
		if r == nil {
			log.Fatalf("goal names no case %q", g.ref)
		}
		ratio := ms(median(c.wall)) / ms(median(r.wall))
		fmt.Printf("| %s / %s | %.2f× | ≤ %.1f× | %s |\n", g.label, g.ref, ratio, g.factor, verdict(ratio <= g.factor))
	}
}

func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "missed"
}

func readSpec(path string) ([]*bcase, []goal) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var cases []*bcase
	var goals []goal
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if fields[0] == "goal" {
			if len(fields) != 5 {
				log.Fatalf("bad goal line %q", line)
			}
			n, err := strconv.ParseFloat(fields[4], 64)
			if err != nil {
				log.Fatalf("bad goal line %q", line)
			}
			goals = append(goals, goal{label: fields[1], kind: fields[2], ref: fields[3], factor: n})
			continue
		}
		if len(fields) < 3 {
			log.Fatalf("bad case line %q", line)
		}
		stdin := fields[1]
		if stdin == "-" {
			stdin = ""
		}
		cases = append(cases, &bcase{label: fields[0], stdin: strings.ReplaceAll(stdin, `\n`, "\n"), argv: fields[2:]})
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return cases, goals
}

// run runs c once: wall time from start to exit, CPU and peak RSS from
// the rusage of the exited process.
func run(c *bcase) (wall, cpu time.Duration, rssKiB int64) {
	cmd := exec.Command(c.argv[0], c.argv[1:]...)
	if c.stdin != "" {
		cmd.Stdin = strings.NewReader(c.stdin)
	}
	var errb strings.Builder
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	wall = time.Since(start)
	if err != nil {
		log.Fatalf("%s: %v\n%s", c.label, err, errb.String())
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return wall, cpu, ru.Maxrss
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func medianInt(d []int64) int64 {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
func mib(kib int64) float64      { return float64(kib) / 1024 }
