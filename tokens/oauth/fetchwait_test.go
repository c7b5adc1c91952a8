package oauth

import (
	"testing"
	"time"

	"github.com/tokentray/tokentray/tokens"
)

// A waiter must outwait the holder's whole fetch and keyring write.
func TestFetchWaitLimitOutlastsOneFetch(t *testing.T) {
	if tokens.FetchWaitLimit < DefaultTimeout+10*time.Second {
		t.Fatalf("FetchWaitLimit %v is not comfortably above the client's DefaultTimeout %v", tokens.FetchWaitLimit, DefaultTimeout)
	}
}
