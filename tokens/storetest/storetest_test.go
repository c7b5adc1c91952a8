package storetest

import (
	"reflect"
	"testing"
)

func TestFullProfileSetsEveryField(t *testing.T) {
	for _, v := range []reflect.Value{reflect.ValueOf(FullProfile("p")), reflect.ValueOf(*FullToken("t"))} {
		for i := range v.NumField() {
			if v.Field(i).IsZero() {
				t.Errorf("%s.%s is zero in the test fixture; give it a value", v.Type().Name(), v.Type().Field(i).Name)
			}
		}
	}
}
