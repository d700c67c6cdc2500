;; words.ts scanWordsInJs's loop over UTF-16 code units, in WebAssembly (issue 10: the word scan
;; was a fifth of an import reader's time): the same state machine unit by unit, and blocks of 16
;; plain ASCII units at once with SIMD. word-scan.test.ts compares it with the JS loop on the
;; corpus and on generated text.
;;
;; Memory, laid out by word-scan.ts: the 64 KiB class table at 0 (words.ts bmpTable), the text as
;; little-endian UTF-16 at $text, and room for $cap word starts (i32) at $starts.
;; The scan's state lives in globals so that a call that fills the starts buffer returns and the
;; next call (after JS has copied the starts out) goes on where it stopped.
;; Astral code points (surrogate pairs) are classed by the imported $astral_class (JS \p{L} /
;; \p{N}); they are rare, and the table only covers the Basic Multilingual Plane.
(module
  (import "words" "astral_class" (func $astral_class (param i32) (result i32)))
  (import "words" "memory" (memory 1))

  ;; the index of the next code unit to scan
  (global $at (export "at") (mut i32) (i32.const 0))
  ;; words as countWords counts them
  (global $words (export "words") (mut i32) (i32.const 0))
  ;; 0: between words; 1: in a word's first run of letters and digits; 2: in letters after an apostrophe
  (global $state (export "state") (mut i32) (i32.const 0))
  ;; 1 while inside a whitespace-separated word
  (global $in_space_word (export "in_space_word") (mut i32) (i32.const 0))
  ;; NOT_NFC_SAFE (8) once a code unit outside fingerprint.ts's NFC-safe ones is seen, else 0
  (global $not_nfc_safe_seen (export "not_nfc_safe_seen") (mut i32) (i32.const 0))
  ;; 1 once a line feed follows a space or tab
  (global $spaced_line_ends (export "spaced_line_ends") (mut i32) (i32.const 0))

  ;; The class of the code point whose high surrogate is at $p (a valid pair), else 0.
  (func $pair_class (param $p i32) (param $end i32) (param $code i32) (result i32)
    (local $low i32)
    (if (i32.gt_u (local.get $code) (i32.const 0xdbff)) (then (return (i32.const 0))))
    (if (i32.ge_u (i32.add (local.get $p) (i32.const 2)) (local.get $end)) (then (return (i32.const 0))))
    (local.set $low (i32.load16_u offset=2 (local.get $p)))
    (if (i32.ge_u (i32.sub (local.get $low) (i32.const 0xdc00)) (i32.const 0x400)) (then (return (i32.const 0))))
    (call $astral_class
      (i32.add
        (i32.add
          (i32.shl (i32.sub (local.get $code) (i32.const 0xd800)) (i32.const 10))
          (i32.sub (local.get $low) (i32.const 0xdc00)))
        (i32.const 0x10000))))

  ;; Scans text[$at, $length) (text at byte address $text), writing word starts from $starts on.
  ;; Returns how many starts it wrote; it stops early, before writing one more, when there are $cap.
  (func (export "scan") (param $text i32) (param $length i32) (param $starts i32) (param $cap i32) (result i32)
    (local $p i32)
    (local $end i32)
    (local $out i32)
    (local $out_end i32)
    (local $code i32)
    (local $unit i32)
    (local $kind i32)
    (local $width i32)
    (local $next i32)
    (local $after i32)
    (local $words i32)
    (local $state i32)
    (local $in_space_word i32)
    (local $classes_seen i32)
    (local $spaced_line_ends i32)
    (local $stretch_end i32)
    (local $v v128)
    (local $w v128)
    (local $tab v128)
    (local $lf v128)
    (local $blank v128)
    (local $space v128)
    (local $tab_w v128)
    (local $lf_w v128)
    (local $blank_w v128)
    (local $space_w v128)
    (local $space_bits i32)
    (local $alnum_bits i32)
    (local $lf_bits i32)
    (local $rises i32)
    (local $at i32)
    (local.set $p (i32.add (local.get $text) (i32.shl (global.get $at) (i32.const 1))))
    (local.set $end (i32.add (local.get $text) (i32.shl (local.get $length) (i32.const 1))))
    (local.set $out (local.get $starts))
    (local.set $out_end (i32.add (local.get $starts) (i32.shl (local.get $cap) (i32.const 2))))
    (local.set $words (global.get $words))
    (local.set $state (global.get $state))
    (local.set $in_space_word (global.get $in_space_word))
    (local.set $classes_seen (global.get $not_nfc_safe_seen))
    (local.set $spaced_line_ends (global.get $spaced_line_ends))
    (block $stop
      (loop $blocks_then_units
        ;; Blocks of 16 plain code units at once: tab, LF, CR and printable ASCII but the apostrophe
        ;; (most of a book). In such a block a word (either kind) begins where its class rises, and
        ;; no surrogate, apostrophe or code unit outside the NFC-safe ones is seen. Each half is
        ;; classed as i16x8; narrowing the two halves' lanes to bytes gives one 16-bit mask.
        (block $not_plain
          (loop $blocks
            (br_if $not_plain (i32.gt_u (i32.add (local.get $p) (i32.const 32)) (local.get $end)))
            ;; after "rock'" only letters go on (and a digit begins a word): units one by one
            (br_if $not_plain (i32.eq (local.get $state) (i32.const 2)))
            ;; room for the block's starts (at most 8)
            (br_if $not_plain (i32.lt_u (i32.sub (local.get $out_end) (local.get $out)) (i32.const 32)))
            (local.set $v (v128.load (local.get $p)))
            (local.set $w (v128.load offset=16 (local.get $p)))
            (local.set $tab (i16x8.eq (local.get $v) (v128.const i16x8 9 9 9 9 9 9 9 9)))
            (local.set $lf (i16x8.eq (local.get $v) (v128.const i16x8 10 10 10 10 10 10 10 10)))
            (local.set $blank (v128.or (local.get $tab) (i16x8.eq (local.get $v) (v128.const i16x8 32 32 32 32 32 32 32 32))))
            (local.set $space
              (v128.or (local.get $blank) (v128.or (local.get $lf) (i16x8.eq (local.get $v) (v128.const i16x8 13 13 13 13 13 13 13 13)))))
            (local.set $tab_w (i16x8.eq (local.get $w) (v128.const i16x8 9 9 9 9 9 9 9 9)))
            (local.set $lf_w (i16x8.eq (local.get $w) (v128.const i16x8 10 10 10 10 10 10 10 10)))
            (local.set $blank_w (v128.or (local.get $tab_w) (i16x8.eq (local.get $w) (v128.const i16x8 32 32 32 32 32 32 32 32))))
            (local.set $space_w
              (v128.or (local.get $blank_w) (v128.or (local.get $lf_w) (i16x8.eq (local.get $w) (v128.const i16x8 13 13 13 13 13 13 13 13)))))
            (br_if $not_plain
              (i32.eqz (i16x8.all_true (v128.and (v128.or
                (v128.andnot
                  (i16x8.lt_u (i16x8.sub (local.get $v) (v128.const i16x8 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)) (v128.const i16x8 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f))
                  (i16x8.eq (local.get $v) (v128.const i16x8 0x27 0x27 0x27 0x27 0x27 0x27 0x27 0x27)))
                (local.get $space)) (v128.or
                (v128.andnot
                  (i16x8.lt_u (i16x8.sub (local.get $w) (v128.const i16x8 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)) (v128.const i16x8 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f 0x5f))
                  (i16x8.eq (local.get $w) (v128.const i16x8 0x27 0x27 0x27 0x27 0x27 0x27 0x27 0x27)))
                (local.get $space_w))))))
            (local.set $space_bits (i8x16.bitmask (i8x16.narrow_i16x8_s (local.get $space) (local.get $space_w))))
            ;; digits, and letters (ASCII letters with 0x20 set are a-z)
            (local.set $alnum_bits (i8x16.bitmask (i8x16.narrow_i16x8_s (v128.or
                  (i16x8.lt_u (i16x8.sub (local.get $v) (v128.const i16x8 0x30 0x30 0x30 0x30 0x30 0x30 0x30 0x30)) (v128.const i16x8 10 10 10 10 10 10 10 10))
                  (i16x8.lt_u (i16x8.sub (v128.or (local.get $v) (v128.const i16x8 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)) (v128.const i16x8 0x61 0x61 0x61 0x61 0x61 0x61 0x61 0x61)) (v128.const i16x8 26 26 26 26 26 26 26 26))) (v128.or
                  (i16x8.lt_u (i16x8.sub (local.get $w) (v128.const i16x8 0x30 0x30 0x30 0x30 0x30 0x30 0x30 0x30)) (v128.const i16x8 10 10 10 10 10 10 10 10))
                  (i16x8.lt_u (i16x8.sub (v128.or (local.get $w) (v128.const i16x8 0x20 0x20 0x20 0x20 0x20 0x20 0x20 0x20)) (v128.const i16x8 0x61 0x61 0x61 0x61 0x61 0x61 0x61 0x61)) (v128.const i16x8 26 26 26 26 26 26 26 26))))))
            ;; a line feed after a space or tab (the unit before the block is looked at when the first is one)
            (local.set $lf_bits (i8x16.bitmask (i8x16.narrow_i16x8_s (local.get $lf) (local.get $lf_w))))
            (if (local.get $lf_bits)
              (then
                (if (i32.and
                      (local.get $lf_bits)
                      (i32.or
                        (i32.shl (i8x16.bitmask (i8x16.narrow_i16x8_s (local.get $blank) (local.get $blank_w))) (i32.const 1))
                        (if (result i32) (i32.gt_u (local.get $p) (local.get $text))
                          (then
                            (local.set $next (i32.load16_u (i32.sub (local.get $p) (i32.const 2))))
                            (i32.or (i32.eq (local.get $next) (i32.const 32)) (i32.eq (local.get $next) (i32.const 9))))
                          (else (i32.const 0)))))
                  (then (local.set $spaced_line_ends (i32.const 1))))))
            ;; words: letters or digits where the unit before was neither (state 1: it was)
            (local.set $words
              (i32.add (local.get $words)
                (i32.popcnt
                  (i32.and (local.get $alnum_bits)
                    (i32.xor (i32.or (i32.shl (local.get $alnum_bits) (i32.const 1)) (local.get $state)) (i32.const -1))))))
            (local.set $state (i32.and (i32.shr_u (local.get $alnum_bits) (i32.const 15)) (i32.const 1)))
            ;; whitespace-separated word starts: non-spaces after a space; written without branches,
            ;; four at a time (a store past the last start is left beyond the count)
            (local.set $space_bits (i32.xor (local.get $space_bits) (i32.const 0xffff)))
            (local.set $rises
              (i32.and (local.get $space_bits)
                (i32.xor (i32.or (i32.shl (local.get $space_bits) (i32.const 1)) (local.get $in_space_word)) (i32.const -1))))
            (local.set $in_space_word (i32.and (i32.shr_u (local.get $space_bits) (i32.const 15)) (i32.const 1)))
            (local.set $at (i32.shr_u (i32.sub (local.get $p) (local.get $text)) (i32.const 1)))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (if (local.get $rises)
              (then
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
            (i32.store (local.get $out) (i32.add (local.get $at) (i32.ctz (local.get $rises))))
            (local.set $out (i32.add (local.get $out) (i32.shl (i32.ne (local.get $rises) (i32.const 0)) (i32.const 2))))
            (local.set $rises (i32.and (local.get $rises) (i32.sub (local.get $rises) (i32.const 1))))
))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br $blocks)))
        ;; one by one over (at least) the 16 units that were not a plain block, then blocks again
        (local.set $stretch_end (i32.add (local.get $p) (i32.const 32)))
        (loop $next_unit
        (block $unit_done
        (br_if $stop (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $code (i32.load16_u (local.get $p)))
        (local.set $unit (i32.load8_u (local.get $code)))
        (local.set $classes_seen (i32.or (local.get $classes_seen) (local.get $unit)))
        ;; SPACE: a space ends both kinds of word
        (if (i32.and (local.get $unit) (i32.const 4))
          (then
            (if (i32.eq (local.get $code) (i32.const 10))
              (then
                (if (i32.gt_u (local.get $p) (local.get $text))
                  (then
                    (local.set $next (i32.load16_u offset=0 (i32.sub (local.get $p) (i32.const 2))))
                    (if (i32.or (i32.eq (local.get $next) (i32.const 32)) (i32.eq (local.get $next) (i32.const 9)))
                      (then (local.set $spaced_line_ends (i32.const 1))))))))
            (local.set $in_space_word (i32.const 0))
            (local.set $state (i32.const 0))
            (local.set $p (i32.add (local.get $p) (i32.const 2)))
            (br $unit_done)))
        ;; the start of a whitespace-separated word, where samples are cut
        (if (i32.eqz (local.get $in_space_word))
          (then
            (br_if $stop (i32.eq (local.get $out) (local.get $out_end)))
            (i32.store (local.get $out) (i32.shr_u (i32.sub (local.get $p) (local.get $text)) (i32.const 1)))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $in_space_word (i32.const 1))))
        ;; the class of the code point here, and its width in bytes
        (local.set $width (i32.const 2))
        (if (i32.ge_u (i32.sub (local.get $code) (i32.const 0xd800)) (i32.const 0x800))
          (then (local.set $kind (local.get $unit)))
          (else
            (local.set $kind (call $pair_class (local.get $p) (local.get $end) (local.get $code)))
            ;; a valid pair is two code units wide, whatever its class
            (if (i32.le_u (local.get $code) (i32.const 0xdbff))
              (then
                (if (i32.lt_u (i32.add (local.get $p) (i32.const 2)) (local.get $end))
                  (then
                    (if (i32.lt_u (i32.sub (i32.load16_u offset=2 (local.get $p)) (i32.const 0xdc00)) (i32.const 0x400))
                      (then (local.set $width (i32.const 4))))))))))
        (if (i32.eqz (local.get $state))
          (then
            ;; LETTER_OR_NUMBER begins a word
            (if (i32.and (local.get $kind) (i32.const 3))
              (then
                (local.set $words (i32.add (local.get $words) (i32.const 1)))
                (local.set $state (i32.const 1)))))
          (else
            ;; state 1 goes on over letters and digits, state 2 over letters
            (if (i32.eqz
                  (i32.and (local.get $kind)
                    (select (i32.const 3) (i32.const 1) (i32.eq (local.get $state) (i32.const 1)))))
              (then
                (if (i32.and
                      (i32.or (i32.eq (local.get $code) (i32.const 0x27)) (i32.eq (local.get $code) (i32.const 0x2019)))
                      (i32.lt_u (i32.add (local.get $p) (i32.const 2)) (local.get $end)))
                  (then
                    ;; an inner apostrophe joins the word when a letter follows it
                    (local.set $next (i32.load16_u offset=2 (local.get $p)))
                    (if (i32.ge_u (i32.sub (local.get $next) (i32.const 0xd800)) (i32.const 0x800))
                      (then (local.set $after (i32.load8_u (local.get $next))))
                      (else
                        (local.set $after
                          (call $pair_class (i32.add (local.get $p) (i32.const 2)) (local.get $end) (local.get $next)))))
                    (local.set $state (select (i32.const 2) (i32.const 0) (i32.and (local.get $after) (i32.const 1)))))
                  (else
                    (if (i32.and (i32.eq (local.get $state) (i32.const 2)) (i32.ne (i32.and (local.get $kind) (i32.const 2)) (i32.const 0)))
                      (then
                        ;; a digit right after the letters of "rock'n" begins a new word
                        (local.set $words (i32.add (local.get $words) (i32.const 1)))
                        (local.set $state (i32.const 1)))
                      (else (local.set $state (i32.const 0))))))))))
        (local.set $p (i32.add (local.get $p) (local.get $width)))
        ;; runs of NFC-safe letters (and digits, in state 1) change nothing above: skip them
        (if (i32.eq (local.get $state) (i32.const 1))
          (then
            (block $run_end
              (loop $run
                (br_if $run_end (i32.ge_u (local.get $p) (local.get $end)))
                (br_if $run_end (i32.eqz (i32.and (i32.load8_u (i32.load16_u (local.get $p))) (i32.const 16))))
                (local.set $p (i32.add (local.get $p) (i32.const 2)))
                (br $run))))
          (else
            (if (i32.eq (local.get $state) (i32.const 2))
              (then
                (block $run_end
                  (loop $run
                    (br_if $run_end (i32.ge_u (local.get $p) (local.get $end)))
                    (br_if $run_end (i32.eqz (i32.and (i32.load8_u (i32.load16_u (local.get $p))) (i32.const 32))))
                    (local.set $p (i32.add (local.get $p) (i32.const 2)))
                    (br $run))))))))
        (br_if $next_unit (i32.lt_u (local.get $p) (local.get $stretch_end))))
        (br $blocks_then_units)))
    (global.set $at (i32.shr_u (i32.sub (local.get $p) (local.get $text)) (i32.const 1)))
    (global.set $words (local.get $words))
    (global.set $state (local.get $state))
    (global.set $in_space_word (local.get $in_space_word))
    (global.set $not_nfc_safe_seen (i32.and (local.get $classes_seen) (i32.const 8)))
    (global.set $spaced_line_ends (local.get $spaced_line_ends))
    (i32.shr_u (i32.sub (local.get $out) (local.get $starts)) (i32.const 2)))

  ;; Starts a new text.
  (func (export "reset")
    (global.set $at (i32.const 0))
    (global.set $words (i32.const 0))
    (global.set $state (i32.const 0))
    (global.set $in_space_word (i32.const 0))
    (global.set $not_nfc_safe_seen (i32.const 0))
    (global.set $spaced_line_ends (i32.const 0))))
