// Package wire reads and rewrites protobuf's wire form in place, without
// decoding it: the functions' requests are decoded with the composed
// resources left in wire form (Unmarshal), and steps decode only those
// they read.
package wire

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// FieldNumber is the number of a message's field.
func FieldNumber(md protoreflect.MessageDescriptor, name protoreflect.Name) protowire.Number {
	return md.Fields().ByName(name).Number()
}

// UnusedField is the lowest field number a message does not define.
func UnusedField(md protoreflect.MessageDescriptor) protowire.Number {
	for n := protowire.Number(1); ; n++ {
		if md.Fields().ByNumber(n) == nil {
			return n
		}
	}
}

// EachField calls fn with each field of the message b: its number, type,
// tag bytes and value bytes (both slices of b).
func EachField(b []byte, fn func(num protowire.Number, typ protowire.Type, tag, value []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return protowire.ParseError(n)
		}
		m := protowire.ConsumeFieldValue(num, typ, b[n:])
		if m < 0 {
			return protowire.ParseError(m)
		}
		fn(num, typ, b[:n], b[n:n+m])
		b = b[n+m:]
	}
	return nil
}

// The map entry fields of a protobuf map (key, value).
const (
	entryKey   protowire.Number = 1
	entryValue protowire.Number = 2
)

// MapEntry splits a protobuf map entry into its key and value bytes.
func MapEntry(entry []byte) (key, value []byte) {
	_ = EachField(entry, func(num protowire.Number, typ protowire.Type, _, v []byte) {
		if typ != protowire.BytesType {
			return
		}
		b, _ := protowire.ConsumeBytes(v)
		switch num {
		case entryKey:
			key = b
		case entryValue:
			value = b
		}
	})
	return key, value
}
