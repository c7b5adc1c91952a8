package keyring

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
	"github.com/tokentray/tokentray/tokens/testenv"
)

// Two processes writing to one service of the real keyring at the same time,
// as the tray app refreshing a token and a script running `tokentray token`
// or `tokentray add` would. Each adds its own profiles (the index is a
// read-modify-write) and saves multi-chunk tokens of one shared profile
// (a record both replace). Afterwards every profile is listed, the shared
// token is one of those written, whole, and no stray chunk is left.

const (
	writerEnvService = "TOKENTRAY_TEST_WRITER_SERVICE"
	writerRounds     = 6
)

// writerToken is the shared profile's token number i of writer who: three
// chunks, so an interleaved write would mix them.
func writerToken(who string, i int) *tokens.Token {
	return storetest.FullToken(fmt.Sprintf("%s-%02d-", who, i) + strings.Repeat("t", 2*maxChunk))
}

// writeRounds adds profiles who-00… and replaces the shared token, in turn.
func writeRounds(s *keyringStore, who string) error {
	ctx := context.Background()
	for i := range writerRounds {
		if err := s.Save(ctx, storetest.FullProfile(fmt.Sprintf("%s-%02d", who, i))); err != nil {
			return err
		}
		if err := s.SaveToken(ctx, "shared", writerToken(who, i)); err != nil {
			return err
		}
	}
	return nil
}

// TestKeyringRealWriterProcess is the second process of
// TestKeyringRealTwoProcessesWrite; run on its own it skips.
func TestKeyringRealWriterProcess(t *testing.T) {
	service := os.Getenv(writerEnvService)
	if service == "" {
		t.Skip("the child process of TestKeyringRealTwoProcessesWrite")
	}
	fmt.Println("ready")
	if _, err := bufio.NewReader(os.Stdin).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	if err := writeRounds(realStore(service), "child"); err != nil {
		t.Fatal(err)
	}
}

func TestKeyringRealTwoProcessesWrite(t *testing.T) {
	testenv.SkipUnlessLinux(t, "secret-tool lists the items")
	service := realService(t)
	s := realStore(service)
	if err := s.Save(context.Background(), storetest.FullProfile("shared")); err != nil {
		t.Fatal(err)
	}

	child := exec.Command(os.Args[0], "-test.run=^TestKeyringRealWriterProcess$", "-test.count=1")
	child.Env = append(os.Environ(), writerEnvService+"="+service)
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var childErr strings.Builder
	child.Stderr = &childErr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	out := bufio.NewReader(stdout)
	if line, err := out.ReadString('\n'); err != nil || line != "ready\n" {
		_ = child.Process.Kill()
		t.Fatalf("child said %q (%v); stderr: %s", line, err, childErr.String())
	}
	// Both start writing now.
	if _, err := stdin.Write([]byte("go\n")); err != nil {
		t.Fatal(err)
	}
	parentErr := writeRounds(s, "parent")
	rest, _ := bufio.NewReader(out).ReadString(0)
	if err := child.Wait(); err != nil {
		t.Fatalf("child: %v\n%s%s", err, rest, childErr.String())
	}
	if parentErr != nil {
		t.Fatal(parentErr)
	}

	fresh := realStore(service)
	want := []string{"shared"}
	for i := range writerRounds {
		want = append(want, fmt.Sprintf("child-%02d", i), fmt.Sprintf("parent-%02d", i))
	}
	slices.Sort(want)
	storetest.MustLoadNames(t, fresh, want...)

	got, err := fresh.LoadToken(context.Background(), "shared")
	if err != nil {
		t.Fatalf("the shared token after both wrote it: %v", err)
	}
	last := []*tokens.Token{writerToken("child", writerRounds-1), writerToken("parent", writerRounds-1)}
	if got.AccessToken != last[0].AccessToken && got.AccessToken != last[1].AccessToken {
		t.Fatalf("shared token is %.12q…, want the last one of either process", got.AccessToken)
	}

	var items []string
	for _, key := range append([]string{"index", "token/shared"}, profileKeys(want)...) {
		items = append(items, recordUsers(t, fresh, key)...)
	}
	slices.Sort(items)
	if stored := secretToolUsers(t, service); !slices.Equal(stored, items) {
		t.Fatalf("%d items in the keyring, %d belong to records; stray: %q", len(stored), len(items), difference(stored, items))
	}
}

func profileKeys(names []string) []string {
	keys := make([]string, len(names))
	for i, n := range names {
		keys[i] = profileKey(n)
	}
	return keys
}

// difference is a minus b, both sorted.
func difference(a, b []string) []string {
	var d []string
	for _, x := range a {
		if _, found := slices.BinarySearch(b, x); !found {
			d = append(d, x)
		}
	}
	return d
}
