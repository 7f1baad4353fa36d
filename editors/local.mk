# SPDX-License-Identifier: GPL-2.0-only
# editors/local.mk: editor support for packetdrill scripts, installed by
# `make install` where each tool looks by default (under --prefix):
#   vim     $(datadir)/vim/vimfiles/{syntax,ftdetect}/packetdrill.vim
#           (Debian's vim reads /usr/share/vim/vimfiles: --prefix=/usr,
#           or ./configure vimfilesdir=... to pick another folder)
#   Emacs   $(datadir)/emacs/site-lisp/packetdrill-mode.el
#   bash    $(datadir)/bash-completion/completions/netdrill
# editors.test loads each where the tool is installed (skips otherwise).
vimfilesdir = $(datadir)/vim/vimfiles
vimsyntaxdir = $(vimfilesdir)/syntax
vimftdetectdir = $(vimfilesdir)/ftdetect
dist_vimsyntax_DATA = editors/vim/syntax/packetdrill.vim
dist_vimftdetect_DATA = editors/vim/ftdetect/packetdrill.vim
emacssitelispdir = $(datadir)/emacs/site-lisp
dist_emacssitelisp_DATA = editors/emacs/packetdrill-mode.el
bashcompletiondir = $(datadir)/bash-completion/completions
dist_bashcompletion_DATA = editors/bash-completion/netdrill
TESTS += editors/editors.test
EXTRA_DIST += editors/editors.test
