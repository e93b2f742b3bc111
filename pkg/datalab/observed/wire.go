package observed

import (
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Reading protobuf's wire form without decoding it.

func fieldNumber(md protoreflect.MessageDescriptor, name protoreflect.Name) protowire.Number {
	return md.Fields().ByName(name).Number()
}

func unusedField(md protoreflect.MessageDescriptor) protowire.Number {
	for n := protowire.Number(1); ; n++ {
		if md.Fields().ByNumber(n) == nil {
			return n
		}
	}
}

// eachField calls fn with each field of the message b: its number, type,
// tag bytes and value bytes (both slices of b).
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, tag, value []byte)) error {
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

// mapEntry splits a protobuf map entry into its key and value bytes.
func mapEntry(entry []byte) (key, value []byte) {
	_ = eachField(entry, func(num protowire.Number, typ protowire.Type, _, v []byte) {
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
