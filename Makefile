# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench i18n lint clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(BIN)/comdev db upgrade
	$(BIN)/comdev seed
	$(BIN)/comdev serve

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/python -m bench
	$(BIN)/python -m bench.matching
	$(BIN)/python -m bench.broadcast

i18n: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k gettext -k N_ -k ngettext:1,2 \
		--add-comments=TRANSLATORS: --no-location --sort-output \
		-o locales/messages.pot bot core
	@for l in ar zgh fr en; do \
		$(BIN)/pybabel update -i locales/messages.pot -d locales -l $$l \
			--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date || exit 1; \
	done
	$(BIN)/python -m bot.i18n.check

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) var
