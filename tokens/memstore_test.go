package tokens

import (
	"context"
	"errors"
	"testing"
)

func TestMemoryStoreContract(t *testing.T) {
	storeContract(t, func(*testing.T) Store { return NewMemoryStore() })
}

func TestMemoryStoreCancelledContext(t *testing.T) {
	s := NewMemoryStore()
	if err := s.Save(context.Background(), fullProfile("p")); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := s.Load(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Load = %v, want context.Canceled", err)
	}
	if err := s.Save(ctx, fullProfile("q")); !errors.Is(err, context.Canceled) {
		t.Errorf("Save = %v, want context.Canceled", err)
	}
	if err := s.Delete(ctx, "p"); !errors.Is(err, context.Canceled) {
		t.Errorf("Delete = %v, want context.Canceled", err)
	}
	mustLoad(t, s, fullProfile("p"))
}
