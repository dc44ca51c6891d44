package catalogue

import (
	"unicode"
	"unicode/utf8"
)

// plain maps the accented Latin letters of Italian, French, German and Spanish names to the
// letter a cashier types without the accent; anything else is only lowercased.
var plain = func() map[rune]rune {
	m := map[rune]rune{}
	for base, accented := range map[rune]string{
		'a': "àáâãäåāăą", 'c': "çćĉċč", 'd': "ď", 'e': "èéêëēĕėęě", 'g': "ĝğġģ", 'i': "ìíîïĩīĭįı",
		'l': "ĺļľł", 'n': "ñńņň", 'o': "òóôõöøōŏő", 'r': "ŕŗř", 's': "śŝşš", 't': "ţť",
		'u': "ùúûüũūŭůűų", 'y': "ýÿŷ", 'z': "źżž",
	} {
		for _, r := range accented {
			m[r] = base
		}
	}
	return m
}()

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	if p, ok := plain[r]; ok {
		return p
	}
	return r
}

// words appends to dst the words of s, lowercased and without accents: runs of letters and
// digits, so spaces, apostrophes and other punctuation split ("Caffè d'orzo" is "caffe",
// "d", "orzo").
func words(s string, dst []string) []string {
	eachWord(s, nil, func(w []byte) { dst = append(dst, string(w)) })
	return dst
}

// eachWord calls fn with each word of s as words splits them, in buf (scratch space, returned
// for reuse), valid only during the call: indexing 50,000 names allocates only new words.
func eachWord(s string, buf []byte, fn func([]byte)) []byte {
	buf = buf[:0]
	for _, r := range s {
		f := foldRune(r)
		if f < utf8.RuneSelf {
			if ('a' <= f && f <= 'z') || ('0' <= f && f <= '9') {
				buf = append(buf, byte(f))
				continue
			}
		} else if unicode.IsLetter(f) || unicode.IsDigit(f) {
			buf = utf8.AppendRune(buf, f)
			continue
		}
		if len(buf) > 0 {
			fn(buf)
			buf = buf[:0]
		}
	}
	if len(buf) > 0 {
		fn(buf)
	}
	return buf
}
