# The two commands a newcomer needs: `make demo` and `make test`. Both install everything first.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed-stamp

.PHONY: install assets demo demo-validator test test-floors lint format docs bench clean

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

install: $(STAMP) assets

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

## test-floors: the portal's tests with its direct dependencies at the lowest versions pyproject allows
FLOORS_VENV   ?= .venv-floors
PORTAL_FLOORS  = flask jinja2 sqlite-utils gunicorn flask-wtf argon2-cffi requests
test-floors: assets
	rm -rf $(FLOORS_VENV)
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(FLOORS_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FLOORS_VENV)/bin/python -c 'import re, sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	  reqs = p["dependencies"] + p["optional-dependencies"]["test"]; \
	  pins = [re.sub(r">=([^,]+),.*", r"==\1", r) for r in reqs if re.split(r"[<>=]", r)[0] in sys.argv[1:]]; \
	  print("\n".join(pins))' $(PORTAL_FLOORS) > $(FLOORS_VENV)/floors.txt
	cat $(FLOORS_VENV)/floors.txt
	$(FLOORS_VENV)/bin/python -m pip install --quiet -c $(FLOORS_VENV)/floors.txt -e '.[test]'
	$(FLOORS_VENV)/bin/python -m pytest tests/portal

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
	rm -rf $(VENV) $(FLOORS_VENV) build dist .pytest_cache .ruff_cache out var node_modules portal/static
