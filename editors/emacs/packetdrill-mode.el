;;; packetdrill-mode.el --- major mode for packetdrill scripts -*- lexical-binding: t -*-

;; SPDX-License-Identifier: GPL-2.0-only
;; Part of netdrill.  Keywords: languages, tools

;;; Commentary:

;; Highlights packetdrill scripts (*.pkt) as netdrill and packetdrill read
;; them: // and /* */ comments, --option lines, event times, the packet
;; direction and TCP flags, packet words (win, mss, sackOK, ...), system
;; call names, constants (SOCK_STREAM, EAGAIN, ...), `shell commands` and
;; %{ code blocks }%.
;;
;; netdrill's `make install' puts this file in $(datadir)/emacs/site-lisp;
;; then add to your init file:
;;
;;   (autoload 'packetdrill-mode "packetdrill-mode" nil t)
;;   (add-to-list 'auto-mode-alist '("\\.pkt\\'" . packetdrill-mode))
;;
;; (loading the file itself adds the *.pkt association too).

;;; Code:

(defgroup packetdrill nil
  "Editing packetdrill scripts."
  :group 'languages
  :prefix "packetdrill-")

(defconst packetdrill-packet-words
  '("ack" "win" "mss" "wscale" "sackOK" "sack" "nop" "eol" "TS" "val" "ecr"
    "FO" "FOEXP" "md5" "ECN" "e0b" "e1b" "ceb" "AccECN0" "AccECN1"
    "udp" "icmp" "ipv4" "ipv6" "gre" "GREv0" "mpls" "encap" "psp" "spi" "vc"
    "tos" "ttl" "flowlabel" "id" "ect0" "ect1" "ect01" "ce" "noecn"
    "flags" "Flags" "checksum" "present" "none" "key" "seq" "sum" "off"
    "label" "tc" "mtu" "raw" "urg")
  "Words of the packet syntax.")

(defconst packetdrill-font-lock-keywords
  `(;; --name=value option lines
    ("^[ \t]*\\(--[a-z_]+\\)\\(=[^ \t\n]*\\)?"
     (1 font-lock-preprocessor-face))
    ;; the event's time: 0, +0.1, .25, 1.5~2.0, *
    ("^[ \t]*\\([+*]?\\(?:[0-9]+\\(?:\\.[0-9]*\\)?\\|\\.[0-9]+\\)\\(?:[ \t]*~[ \t]*\\+?\\(?:[0-9]+\\(?:\\.[0-9]*\\)?\\|\\.[0-9]+\\)\\)?\\|\\*\\)"
     (1 font-lock-constant-face))
    ;; direction and TCP flags of a packet event
    ("^[ \t]*[+*]?[0-9.~+ \t]*\\([<>]\\)[ \t]+\\(?:\\[[^]\n]*\\][ \t]+\\)?\\([SPFRUEWA.]+[0-9]?\\)[ \t]"
     (1 font-lock-builtin-face) (2 font-lock-type-face))
    ;; packet words
    (,(regexp-opt packetdrill-packet-words 'words) . font-lock-keyword-face)
    ;; errno after "= -1"
    ("=[ \t]*-1[ \t]+\\(E[A-Z0-9]+\\)\\_>" (1 font-lock-warning-face))
    ;; system calls: name(
    ("\\_<\\([a-z_][a-z0-9_]*\\)(" (1 font-lock-function-name-face))
    ;; constants: SOCK_STREAM, IPPROTO_TCP, SO_REUSEADDR, ...
    ("\\_<[A-Z][A-Z0-9_]*[A-Z0-9]\\_>" . font-lock-constant-face)
    ;; `shell commands`
    ("`[^`\n]*`" . font-lock-string-face)
    ;; %{ code blocks }%
    ("%{\\|}%" . font-lock-preprocessor-face))
  "Highlighting for `packetdrill-mode'.")

(defvar packetdrill-mode-syntax-table
  (let ((table (make-syntax-table)))
    ;; C++-style comments: // to the end of the line, /* */ blocks.
    (modify-syntax-entry ?/ ". 124b" table)
    (modify-syntax-entry ?* ". 23" table)
    (modify-syntax-entry ?\n "> b" table)
    (modify-syntax-entry ?\" "\"" table)
    (modify-syntax-entry ?_ "_" table)
    (modify-syntax-entry ?< "." table)
    (modify-syntax-entry ?> "." table)
    table)
  "Syntax table for `packetdrill-mode'.")

;;;###autoload
(define-derived-mode packetdrill-mode prog-mode "packetdrill"
  "Major mode for packetdrill scripts (*.pkt), as netdrill runs them."
  :syntax-table packetdrill-mode-syntax-table
  :group 'packetdrill
  (setq-local comment-start "// ")
  (setq-local comment-end "")
  (setq-local comment-start-skip "//+[ \t]*")
  (setq-local font-lock-defaults '(packetdrill-font-lock-keywords)))

;;;###autoload
(add-to-list 'auto-mode-alist '("\\.pkt\\'" . packetdrill-mode))

(provide 'packetdrill-mode)

;;; packetdrill-mode.el ends here
