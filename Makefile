# The two commands a newcomer needs: `make demo` and `make test`. Both install everything first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: install assets demo demo-validator test test-lowest lint format docs bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# GOV.UK Frontend from its official npm package, pinned in package-lock.json; its built CSS,
# fonts and images are copied into portal/static/ (git-ignored), served at /assets/.
FRONTEND = node_modules/govuk-frontend/dist/govuk
ASSETS   = portal/static/govuk-frontend.min.css

$(FRONTEND)/govuk-frontend.min.css: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): $(FRONTEND)/govuk-frontend.min.css
	rm -rf portal/static
	mkdir -p portal/static
	cp -R $(FRONTEND)/assets/. portal/static/
	cp $(FRONTEND)/govuk-frontend.min.css portal/static/

assets: $(ASSETS)

# The library's bytecode is written at install time, as pip does for a wheel: with
# PYTHONDONTWRITEBYTECODE set, every run would otherwise compile the sources again (about 50 ms).
install: $(STAMP) assets
	$(BIN)/python -m compileall -q validator

## demo: start the portal at http://127.0.0.1:$(PORT) with a fresh demonstration database
PORT     ?= 8000
DEMO_VAR ?= var/demo
demo: install
	rm -rf $(DEMO_VAR)
	mkdir -p $(DEMO_VAR)
	test -f $(DEMO_VAR)/../demo-secret || $(BIN)/python -c 'import secrets; print(secrets.token_hex(32))' > $(DEMO_VAR)/../demo-secret
	PORTAL_SECRET_KEY="$$(cat $(DEMO_VAR)/../demo-secret)" PORTAL_DATABASE=$(DEMO_VAR)/portal.sqlite3 \
	  PORTAL_FILES=$(DEMO_VAR)/files $(BIN)/flask --app portal init-db
	PORTAL_SECRET_KEY="$$(cat $(DEMO_VAR)/../demo-secret)" PORTAL_DATABASE=$(DEMO_VAR)/portal.sqlite3 \
	  PORTAL_FILES=$(DEMO_VAR)/files $(BIN)/flask --app portal seed-demo
	@printf '\nThe portal is starting at http://127.0.0.1:%s/\n' $(PORT)
	@printf 'Sign in with password demo-password-2025 as any of:\n'
	@printf '  officer.e09000030@example.gov.uk  (Tower Hamlets officer; any borough: officer.<code>@example.gov.uk)\n'
	@printf '  gla.admin@london.gov.uk           (GLA administrator)\n'
	@printf '  viewer@london.gov.uk              (viewer)\n'
	@printf 'Press Ctrl+C to stop.\n\n'
	PORTAL_SECRET_KEY="$$(cat $(DEMO_VAR)/../demo-secret)" PORTAL_DATABASE=$(DEMO_VAR)/portal.sqlite3 \
	  PORTAL_FILES=$(DEMO_VAR)/files PORTAL_BIND=127.0.0.1:$(PORT) \
	  $(BIN)/gunicorn -c gunicorn.conf.py 'portal:create_app()'

## demo-validator: write demonstration returns for all 33 boroughs, validate them and print the reports
DEMO ?= out/demo
demo-validator: install
	$(BIN)/lsids generate $(DEMO) --periods 2024-25 2025-26
	$(BIN)/lsids validate $(DEMO)/*.csv --summary
	$(BIN)/lsids validate $(DEMO)/*.csv --format html --output $(DEMO)/report.html
	@printf '\nA return with a problem, as a borough officer sees it:\n\n'
	@$(BIN)/lsids validate examples/invalid/label-instead-of-code/*.csv || true
	@printf '\nAll reports as one web page: %s\n' $(DEMO)/report.html

## test: lint, then every test
test: install lint
	$(BIN)/python -m pytest

## test-lowest: every test again, in .venv-lowest, with each direct dependency at the lowest version
## pyproject.toml allows (runtime and the `test` extra). uv's `lowest-direct` resolution reads the floors
## from pyproject.toml itself, so there is no second list to keep in step. Their own dependencies resolve to
## the newest release up to LOWEST_CUTOFF, so the run installs the same versions every time; move the date
## on when a raised floor needs a later release.
LOWEST        ?= .venv-lowest
LOWEST_STAMP   = $(LOWEST)/.installed-stamp
LOWEST_CUTOFF ?= 2026-12-01
UV_VERSION    ?= 0.13.9

$(BIN)/uv: | $(STAMP)
	$(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'

# Built anew each time: an existing venv would keep whatever newer versions it already holds.
$(LOWEST_STAMP): pyproject.toml $(BIN)/uv
	rm -rf $(LOWEST)
	$(PYTHON) -m venv $(LOWEST)
	$(BIN)/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct \
		--exclude-newer $(LOWEST_CUTOFF) -e '.[test]'
	touch $(LOWEST_STAMP)

test-lowest: $(LOWEST_STAMP) assets
	$(LOWEST)/bin/python -m pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## docs: regenerate the reference pages and blank templates from standard/
docs: install
	$(BIN)/lsids docs

bench: install
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(LOWEST) build dist .pytest_cache .ruff_cache out var node_modules portal/static
