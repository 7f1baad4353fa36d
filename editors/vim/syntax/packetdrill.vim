" Vim syntax file
" Language:	packetdrill script (*.pkt), as netdrill and packetdrill read it
" Maintainer:	the netdrill authors
" SPDX-License-Identifier: GPL-2.0-only
"
" Install: netdrill's `make install` puts this file in
" $(datadir)/vim/vimfiles/syntax/ and the *.pkt detection in
" $(datadir)/vim/vimfiles/ftdetect/; by hand, copy both below ~/.vim/.

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

" Comments: // to the end of the line, /* ... */ over lines.
syn keyword pktTodo		contained TODO FIXME XXX NOTE
syn match   pktComment		"//.*$" contains=pktTodo,@Spell
syn region  pktComment		start="/\*" end="\*/" contains=pktTodo,@Spell

" Option lines: --name=value at the start of a line.
syn match   pktOption		"^\s*--[a-z_]\+\(=\S*\)\?"

" Event times at the start of a line: 0, +0.1, .25, 1.5~2.0, *.
syn match   pktTime		"^\s*[+*]\?\(\d\+\(\.\d*\)\?\|\.\d\+\)\(\s*\~\s*+\?\(\d\+\(\.\d*\)\?\|\.\d\+\)\)\?"
syn match   pktTime		"^\s*\*"

" Direction of a packet event, right after the time.
syn match   pktDirection	"\(^\s*[+*]\?[0-9.~+ ]*\)\@<=[<>]"

" TCP flags after the direction: S, S., P., F., R., ., with an AccECN
" digit (.5) or ECN flags E and W.
syn match   pktFlags		"\([<>]\s\+\(\[[^]]*\]\s\+\)\?\)\@<=[SPFRUEWA.]\+\d\?\ze\s"

" Packet words (the keywords of the grammar).
syn keyword pktKeyword		ack win mss wscale sackOK sack nop eol TS val ecr
syn keyword pktKeyword		FO FOEXP md5 ECN e0b e1b ceb AccECN0 AccECN1
syn keyword pktKeyword		udp icmp ipv4 ipv6 gre GREv0 mpls encap psp spi vc
syn keyword pktKeyword		tos ttl flowlabel id ect0 ect1 ect01 ce noecn
syn keyword pktKeyword		flags Flags checksum present none key seq sum off
syn keyword pktKeyword		label tc mtu raw urg

" Sequence ranges start:end(len).
syn match   pktSeqRange		"\<\d\+:\d\+(\d\+)"

" System calls: a name followed by '('.
syn match   pktSyscall		"\<[a-z_][a-z0-9_]*\ze("

" Constants: SOCK_STREAM, IPPROTO_TCP, SO_*, TCP_*, MSG_*, E* errno.
syn match   pktConstant		"\<[A-Z][A-Z0-9_]*[A-Z0-9]\>"
syn match   pktErrno		"\(=\s*-1\s\+\)\@<=E[A-Z0-9]\+\>"

" Numbers and hex.
syn match   pktNumber		"\<\d\+\>"
syn match   pktNumber		"\<0x\x\+\>"

" Strings, the ellipsis, backquoted shell commands, %{ }% code blocks.
syn region  pktString		start=+"+ skip=+\\\\\|\\"+ end=+"+
syn match   pktEllipsis		"\.\.\."
syn region  pktCommand		start=+`+ end=+`+
syn region  pktCode		matchgroup=pktCodeDelim start="%{" end="}%"

hi def link pktTodo		Todo
hi def link pktComment		Comment
hi def link pktOption		PreProc
hi def link pktTime		Number
hi def link pktDirection	Operator
hi def link pktFlags		Type
hi def link pktKeyword		Keyword
hi def link pktSeqRange		Number
hi def link pktSyscall		Function
hi def link pktConstant		Constant
hi def link pktErrno		Special
hi def link pktNumber		Number
hi def link pktString		String
hi def link pktEllipsis		Special
hi def link pktCommand		String
hi def link pktCode		Special
hi def link pktCodeDelim	Delimiter

let b:current_syntax = "packetdrill"

let &cpo = s:cpo_save
unlet s:cpo_save
