package embedded

import (
	"context"
	"testing"

	"wenda/index"
	"wenda/index/indextest"
)

func TestEngineContract(t *testing.T) {
	indextest.Run(t, indextest.Harness{
		Open: func(t *testing.T) index.Engine {
			e, err := Open(context.Background(), t.TempDir(), Options{})
			if err != nil {
				t.Fatal(err)
			}
			return e
		},
		Reopen: func(t *testing.T, e index.Engine) index.Engine {
			dir := e.(*Engine).root
			if err := e.Close(); err != nil {
				t.Fatal(err)
			}
			e2, err := Open(context.Background(), dir, Options{LoadVectors: true})
			if err != nil {
				t.Fatal(err)
			}
			return e2
		},
	})
}
