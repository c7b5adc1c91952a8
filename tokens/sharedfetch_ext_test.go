package tokens_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/tokentest"
)

// The app's engine and a command-line process asking at the same moment
// share one request, whichever comes first.
func TestManagerAndSharedTokenShareOneRequest(t *testing.T) {
	for _, appFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("appFirst=%v", appFirst), func(t *testing.T) {
			shared := tokens.NewMemoryStore()
			p := tokentest.Profile("c")
			app := shared
			if err := app.Save(context.Background(), p); err != nil {
				t.Fatal(err)
			}
			fetcher := &tokentest.CountingFetcher{Delay: 50 * time.Millisecond}
			m := tokens.NewManager(tokens.ManagerOptions{Fetcher: fetcher, Store: app})
			defer m.Close()
			if _, _, err := m.LoadProfiles(context.Background()); err != nil {
				t.Fatal(err)
			}
			var appTok, cliTok *tokens.Token
			var wg sync.WaitGroup
			askApp := func() {
				var err error
				if appTok, err = m.Token(context.Background(), "c", time.Minute); err != nil {
					t.Error(err)
				}
			}
			askCLI := func() {
				var err error
				cliTok, err = tokens.SharedToken(context.Background(), p, time.Minute, tokens.SharedTokenOptions{Cache: shared, Fetcher: fetcher})
				if err != nil {
					t.Error(err)
				}
			}
			first, second := askApp, askCLI
			if !appFirst {
				first, second = askCLI, askApp
			}
			wg.Go(first)
			for fetcher.Requests() == 0 {
				runtime.Gosched()
			}
			wg.Go(second) // while the first one's request is under way
			wg.Wait()
			if n := fetcher.Requests(); n != 1 || appTok == nil || cliTok == nil || appTok.AccessToken != cliTok.AccessToken {
				t.Fatalf("%d requests; app got %v, command line %v: want one request and one token", n, appTok, cliTok)
			}
		})
	}
}
