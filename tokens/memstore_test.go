package tokens_test

import (
	"context"
	"errors"
	"testing"

	"github.com/tokentray/tokentray/tokens"
	"github.com/tokentray/tokentray/tokens/storetest"
)

func TestMemoryStoreContract(t *testing.T) {
	storetest.Run(t, func(*testing.T) tokens.Store { return tokens.NewMemoryStore() })
}

func TestMemoryStoreCancelledContext(t *testing.T) {
	s := tokens.NewMemoryStore()
	if err := s.Save(context.Background(), storetest.FullProfile("p")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Load = %v, want context.Canceled", err)
	}
	if err := s.Save(ctx, storetest.FullProfile("q")); !errors.Is(err, context.Canceled) {
		t.Errorf("Save = %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, "p"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete = %v, want context.Canceled", err)
	}
	storetest.MustLoad(t, s, storetest.FullProfile("p"))
}
