"""Pass 1, names: definitions, duplicates (E202), cyclic lets (E203), and what every name in
an expression refers to (E200 unknown name, E201 unknown function or wrong arguments, E204
unknown event, side, structure or weekday).

Names are resolved by context: inside an action argument that takes symbols (`side: tested`,
`dte: same`) the symbol wins; inside `days_to(...)` a name is an event; beside `weekday` or
`tested` in a comparison, a name is a weekday or a side. Elsewhere the order is: user
definitions, fields, namespaces, sides, weekdays, events.
"""

from __future__ import annotations

from collections.abc import Iterable

from condorrules import catalogue
from condorrules.catalogue import Type
from condorrules.check.context import (
    Context,
    Reference,
    RefKind,
    dotted,
    expression_children,
    subexpressions,
)
from condorrules.check.printer import show
from condorrules.check.suggest import closest, did_you_mean
from condorrules.diagnostics import Diagnostic, Fix, Label, Span
from condorrules.syntax import ast

# What a name in a symbol position may be: a kind word, or the symbols an argument accepts.
Expect = str | tuple[str, ...] | None
EVENT, WEEKDAY, SIDE, LITERAL_NAME = "event", "weekday", "side", "literal"

_RESERVED = (
    frozenset(catalogue.FIELDS)
    | frozenset(catalogue.NAMESPACES)
    | {
        *catalogue.SIDE_VALUES,
        *catalogue.WEEKDAYS,
        "same",
    }
)


def resolve_names(context: Context) -> None:
    """Fill ``definitions``, ``rules``, ``guards`` and ``references``; report name errors."""
    _collect_definitions(context)
    resolver = _Resolver(context)
    for item in context.visible_items():
        if isinstance(item, ast.Param):
            resolver.resolve(item.value, LITERAL_NAME)
        elif isinstance(item, ast.Let | ast.Guard):
            resolver.resolve(item.value if isinstance(item, ast.Let) else item.condition)
        elif isinstance(item, ast.Rule):
            resolver.resolve(item.condition)
            for action in item.actions:
                resolver.resolve_action(action)
            for modifier in item.modifiers:
                if isinstance(modifier, ast.Cooldown):
                    resolver.resolve(modifier.duration)
        elif isinstance(item, ast.Scenario):
            resolver.resolve_scenario(item)
    _find_cycles(context)


def _collect_definitions(context: Context) -> None:
    # Params, inputs, lets, rules and guards share one namespace per ruleset.
    seen: dict[str, _Named] = {}
    for item in context.visible_items():
        if not isinstance(item, ast.Param | ast.Input | ast.Let | ast.Rule | ast.Guard):
            continue
        name = item.name
        if isinstance(item, ast.Param | ast.Input | ast.Let) and name.name in _RESERVED:
            context.report(
                Diagnostic(
                    "E202",
                    f"`{name.name}` is already a built-in name of the language",
                    name.span,
                    help=f"choose another name, e.g. `my_{name.name}`",
                )
            )
            continue
        first = seen.get(name.name)
        if first is not None:
            _duplicate(context, item, first)
            continue
        seen[name.name] = item
        if isinstance(item, ast.Rule):
            context.rules[name.name] = item
        elif isinstance(item, ast.Guard):
            context.guards[name.name] = item
        else:
            context.definitions[name.name] = item


_Named = ast.Param | ast.Input | ast.Let | ast.Rule | ast.Guard


def _noun(item: _Named) -> str:
    return type(item).__name__.lower()


def _duplicate(context: Context, item: _Named, first: _Named) -> None:
    name = item.name.name
    if type(item) is type(first):
        message = f"duplicate {_noun(item)} `{name}`"
        note = f"`{name}` is first defined here"
    else:
        message = f"{_noun(item)} `{name}` has the name of a {_noun(first)}"
        note = f"the {_noun(first)} `{name}` is defined here"
    context.report(
        Diagnostic(
            "E202",
            message,
            item.name.span,
            help="params, inputs, lets, rules and guards share one namespace: rename one of "
            "them, or remove the second",
            labels=(Label(first.name.span, note),),
        )
    )


def _definition_kind(definition: ast.Param | ast.Input | ast.Let) -> RefKind:
    if isinstance(definition, ast.Param):
        return RefKind.PARAM
    return RefKind.LET if isinstance(definition, ast.Let) else RefKind.INPUT


class _Resolver:
    """Resolves the names of expressions into ``context.references``."""

    def __init__(self, context: Context) -> None:
        self.context = context
        self.events = frozenset(catalogue.EVENTS) | context.events

    # -- expressions -------------------------------------------------------------------

    def resolve(self, expr: ast.Expr, expect: Expect = None) -> None:
        """Resolve every name in ``expr``; ``expect`` applies to a bare name at the top."""
        if isinstance(expr, ast.Name):
            self._name(expr, expect, as_base=False)
        elif isinstance(expr, ast.Attribute):
            self._attribute(expr)
        elif isinstance(expr, ast.Call):
            self._call(expr)
        elif isinstance(expr, ast.Compare):
            self._symbol_operands(expr.left, (expr.right,))
        elif isinstance(expr, ast.InList):
            self._symbol_operands(expr.value, expr.options)
        elif isinstance(expr, ast.Between):
            self._symbol_operands(expr.value, (expr.low, expr.high))
        else:
            for child in expression_children(expr):
                self.resolve(child)

    def _symbol_operands(self, subject: ast.Expr, others: Iterable[ast.Expr]) -> None:
        others = tuple(others)
        if isinstance(subject, ast.Name) and self._is_word(subject.name):
            # `none == tested`, `wed == weekday`: the symbol may come first.
            expect: Expect = None
            for other in others:
                self.resolve(other)
                expect = expect or self._symbol_kind(other)
            self.resolve(subject, expect)
            return
        self.resolve(subject)
        expect = self._symbol_kind(subject)
        for other in others:
            self.resolve(other, expect)

    def _is_word(self, text: str) -> bool:
        """Not a definition, field or namespace: a symbol word (or an unknown name)."""
        return not (
            text in self.context.definitions
            or text in catalogue.FIELDS
            or text in catalogue.NAMESPACES
        )

    def _symbol_kind(self, expr: ast.Expr) -> str | None:
        if not isinstance(expr, ast.Name | ast.Attribute):
            return None
        reference = self.context.references.get(expr)
        if reference is None:
            return None
        if reference.field is not None:
            kinds = {Type.WEEKDAY: WEEKDAY, Type.SIDE: SIDE}
            return kinds.get(reference.field.type)
        return None

    def _name(self, name: ast.Name, expect: Expect, *, as_base: bool) -> None:
        reference = self._lookup(name.name, expect)
        if reference is not None:
            self.context.references[name] = reference
            return
        self._unknown_name(name, expect, as_base=as_base)

    def _lookup(self, text: str, expect: Expect) -> Reference | None:
        # Precedence: an action argument's own symbol words; then the file's definitions
        # (params, inputs, lets: `weekday == entry_day` with `param entry_day = wed`); then
        # what the position expects (an event in `days_to(...)`, a weekday or side beside
        # `weekday` or `tested`); then fields, namespaces and symbol words.
        if isinstance(expect, tuple) and text in expect:
            kind = RefKind.SIDE if text in catalogue.SIDE_VALUES else RefKind.SYMBOL
            return Reference(kind, text)
        definition = self.context.definitions.get(text)
        if definition is not None and expect != LITERAL_NAME:
            return Reference(_definition_kind(definition), text, definition=definition)
        if expect == EVENT:
            return Reference(RefKind.EVENT, text) if text in self.events else None
        if expect == WEEKDAY:
            return Reference(RefKind.WEEKDAY, text) if text in catalogue.WEEKDAYS else None
        if expect == SIDE:
            return Reference(RefKind.SIDE, text) if text in catalogue.SIDE_VALUES else None
        if expect == LITERAL_NAME:
            return self._symbol(text)
        field = catalogue.FIELDS.get(text)
        if field is not None:
            return Reference(RefKind.FIELD, text, field=field)
        namespace = catalogue.NAMESPACES.get(text)
        if namespace is not None:
            return Reference(RefKind.NAMESPACE, text, namespace=namespace)
        return self._symbol(text)

    def _symbol(self, text: str) -> Reference | None:
        if text in catalogue.SIDE_VALUES:
            return Reference(RefKind.SIDE, text)
        if text in catalogue.WEEKDAYS:
            return Reference(RefKind.WEEKDAY, text)
        if text in self.events:
            return Reference(RefKind.EVENT, text)
        return None

    def _unknown_name(self, name: ast.Name, expect: Expect, *, as_base: bool) -> None:
        text = name.name
        if not as_base and self.context.may_be_dropped(text):
            # A param, let or input of that name may be in an item the parser dropped (a
            # name before `.field` is reported anyway: no definition has fields).
            return
        if isinstance(expect, tuple) and set(expect) & set(catalogue.SIDE_VALUES):
            self._report_symbol(name.span, text, "side", expect)
        elif isinstance(expect, tuple):
            allowed = ", ".join(f"`{word}`" for word in expect)
            help = did_you_mean(text, expect) or f"expected {allowed}"
            self._report("E302", f"`{text}` is not a value this argument takes", name.span, help)
        elif expect == EVENT:
            help = did_you_mean(text, self.events) or (
                f"only {', '.join(sorted(self.events))} are known; give other events' dates "
                "with `--events FILE.csv` (columns date,event,note)"
            )
            self._report("E204", f"unknown event `{text}`", name.span, help)
        elif expect == WEEKDAY:
            self._report_symbol(name.span, text, "weekday", catalogue.WEEKDAYS)
        elif expect == SIDE:
            self._report_symbol(name.span, text, "side", catalogue.SIDE_VALUES)
        elif expect == LITERAL_NAME:
            symbols = (*catalogue.SIDE_VALUES, *catalogue.WEEKDAYS, *self.events)
            help = did_you_mean(text, symbols) or "a param's value must be a literal"
            self._report("E204", f"`{text}` is not a side, weekday or event", name.span, help)
        elif text in _ARGUMENT_WORDS:
            self._report(
                "E302",
                f"`{text}` is not a value here",
                name.span,
                "`same` is for `roll(dte: same, wing: same)`; `oldest` and `all` for "
                "`unhedge(layer: ...)`",
            )
        else:
            noun = "field" if as_base else "name"
            candidates = [*self.context.definitions, *_top_level_names(), *self.events]
            self._report_unknown(f"unknown {noun} `{text}`", name.span, text, candidates)

    def _report_symbol(self, span: Span, text: str, noun: str, allowed: Iterable[str]) -> None:
        allowed = tuple(allowed)
        help = did_you_mean(text, allowed) or f"expected one of {_words(allowed)}"
        self._report("E204", f"unknown {noun} `{text}`", span, help)

    def _report_unknown(
        self, message: str, span: Span, text: str, candidates: Iterable[str]
    ) -> None:
        """E200 with a did-you-mean and a fix replacing the misspelt name, when one is close."""
        match = closest(text, candidates)
        help = None if match is None else f"did you mean `{match}`?"
        fix = None if match is None else Fix(f"replace with `{match}`", span, match)
        self.context.report(Diagnostic("E200", message, span, help=help, fix=fix))

    def _report(self, code: str, message: str, span: Span, help: str | None) -> None:
        self.context.report(Diagnostic(code, message, span, help=help))

    def _attribute(self, expr: ast.Attribute) -> None:
        base = expr.value
        if isinstance(base, ast.Name):
            self._name(base, None, as_base=True)
            reference = self.context.references.get(base)
            if reference is None:
                return
            if reference.kind in (RefKind.NAMESPACE, RefKind.FIELD):
                path = f"{reference.name}.{expr.name.name}"
                field = catalogue.FIELDS.get(path)
                if field is not None:
                    self.context.references[expr] = Reference(RefKind.FIELD, path, field=field)
                    return
                prefix = f"{reference.name}."
                candidates = [f for f in catalogue.FIELDS if f.startswith(prefix)]
                match = closest(path, candidates)
                if match is not None:
                    part = match[len(prefix) :]
                    self.context.report(
                        Diagnostic(
                            "E200",
                            f"unknown field `{path}`",
                            expr.name.span,
                            help=f"did you mean `{match}`?",
                            fix=Fix(f"replace with `{part}`", expr.name.span, part),
                        )
                    )
                    return
                parts = ", ".join(f"`.{c[len(prefix) :]}`" for c in candidates)
                help = f"`{reference.name}` has {parts}" if parts else None
                self._report("E200", f"unknown field `{path}`", expr.name.span, help)
                return
            self._report(
                "E200",
                f"`{reference.name}` has no field `{expr.name.name}`",
                expr.name.span,
                f"`{reference.name}` is a {reference.kind.value}, not a leg, side or `portfolio`",
            )
            return
        self.resolve(base)
        if isinstance(base, ast.Call):
            function = catalogue.FUNCTIONS.get(base.function.name)
            if function is not None and expr.name.name not in function.attributes:
                parts = _words(f".{a}" for a in function.attributes) or "no parts"
                self._report(
                    "E200",
                    f"`{function.name}` has no part `.{expr.name.name}`",
                    expr.name.span,
                    did_you_mean(expr.name.name, function.attributes)
                    or f"`{function.name}` has {parts}",
                )
            return
        reference = self.context.references.get(base) if isinstance(base, ast.Attribute) else None
        if reference is not None and reference.field is not None:
            path = f"{reference.name}.{expr.name.name}"  # `short_put.delta.x`
            self._report("E200", f"unknown field `{path}`", expr.name.span, None)
        elif dotted(base) is None:  # a literal, an index, arithmetic, a call's part
            self._report(
                "E200",
                f"`{show(base)}` has no fields",
                expr.name.span,
                "only `portfolio`, `spot`, the legs and the sides have fields",
            )

    def _call(self, call: ast.Call) -> None:
        function = catalogue.FUNCTIONS.get(call.function.name)
        if function is None:
            name = call.function.name
            if name in catalogue.ACTIONS:
                help = f"`{name}` is an action: it goes after `then`, not in a condition"
            else:
                help = did_you_mean(name, catalogue.FUNCTIONS) or "see the functions in docs"
            self._report("E201", f"unknown function `{name}`", call.function.span, help)
            for argument in (*call.args, *(n.value for n in call.named)):
                self.resolve(argument)
            return
        params = [p.name for p in function.params]
        for index, argument in enumerate(call.args):
            kind = function.params[min(index, len(params) - 1)].kind
            self.resolve(argument, EVENT if kind is catalogue.ParamKind.EVENT else None)
        for named in call.named:
            param = function.param(named.name.name)
            is_event = param is not None and param.kind is catalogue.ParamKind.EVENT
            self.resolve(named.value, EVENT if is_event else None)

    # -- actions and scenarios -----------------------------------------------------------

    def resolve_action(self, action: ast.Action) -> None:
        """Resolve the names in an action's arguments, symbols first where it takes them."""
        definition = catalogue.ACTIONS.get(action.kind.name)
        signature = None
        if definition is not None:
            signature = definition.signature
            if action.structure is not None:
                structure = definition.structure(action.structure.name)
                signature = structure.signature if structure is not None else None
        for value in action.args:
            self.resolve(value)
        for named in action.named:
            argument = signature.argument(named.name.name) if signature is not None else None
            expect: Expect = None
            if argument is not None and argument.symbols:
                expect = argument.symbols
                value = named.value
                is_side = isinstance(value, ast.Name) and value.name in catalogue.SIDE_VALUES
                if argument.type is Type.SIDE and is_side:
                    expect = catalogue.SIDE_VALUES  # a known but wrong side is E302, not E204
            self.resolve(named.value, expect)

    def resolve_scenario(self, scenario: ast.Scenario) -> None:
        """Resolve scenario values; pinned targets that are plain names are left to the
        scenarios pass (an unknown one is E600 there)."""
        for step in scenario.steps:
            if isinstance(step, ast.MarketSet):
                for assignment in step.assignments:
                    self.resolve(assignment.value)
            elif isinstance(step, ast.Given):
                if dotted(step.target) is None:
                    self.resolve(step.target)
                self.resolve(step.value, SIDE if _is_side_target(step.target) else None)
            elif isinstance(step, ast.Expect) and step.action is not None:
                self.resolve_action(step.action)


_ARGUMENT_WORDS = frozenset({"same", "oldest", "all"})


def _is_side_target(target: ast.Expr) -> bool:
    return isinstance(target, ast.Name) and target.name == "tested"


def _top_level_names() -> list[str]:
    return [n for n in (*catalogue.FIELDS, *catalogue.NAMESPACES) if "." not in n]


def _words(words: Iterable[str]) -> str:
    return ", ".join(f"`{w}`" for w in words)


def _find_cycles(context: Context) -> None:
    lets = {name: d for name, d in context.definitions.items() if isinstance(d, ast.Let)}
    graph: dict[str, list[str]] = {}
    for name, let in lets.items():
        uses = []
        for node in subexpressions(let.value):
            if isinstance(node, ast.Name):
                reference = context.references.get(node)
                if reference is not None and reference.kind is RefKind.LET:
                    uses.append(reference.name)
        graph[name] = uses
    for component in _strongly_connected(graph):  # dependencies come out first
        context.let_order.extend(lets[name] for name in component)
        if len(component) == 1 and component[0] not in graph[component[0]]:
            continue
        context.cyclic.update(component)
        _report_cycle(context, graph, [lets[name] for name in component])


_MAX_PATH = 8  # a longer cycle is shown by its ends


def _report_cycle(context: Context, graph: dict[str, list[str]], members: list[ast.Let]) -> None:
    """E203 on the first let of the cycle in the checked file (a cycle through an import is
    reported where the checked file closes it), else on the first in file order."""

    def order(let: ast.Let) -> tuple[bool, str, int, int]:
        span = let.name.span
        return (span.file != context.file, span.file, span.line, span.column)

    ordered = sorted(members, key=order)
    first = ordered[0]
    start = first.name.name
    path = _cycle_path(graph, start, {let.name.name for let in members})
    where = {let.name.name: let for let in members}
    shown = path if len(path) <= _MAX_PATH else [*path[:3], "...", *path[-2:]]
    context.report(
        Diagnostic(
            "E203",
            f"let `{start}` depends on itself: {' -> '.join(shown)}",
            first.name.span,
            help="a let may use params, inputs and other lets, but not in a circle",
            labels=tuple(
                Label(where[n].name.span, f"`{n}` is part of the cycle")
                for n in list(dict.fromkeys(path[1:]))[:_MAX_PATH]
                if n != start
            ),
        )
    )


def _cycle_path(graph: dict[str, list[str]], start: str, members: set[str]) -> list[str]:
    path, seen, current = [start], {start}, start
    while True:
        following = next(n for n in graph[current] if n in members)
        path.append(following)
        if following in seen:
            return path
        seen.add(following)
        current = following


def _strongly_connected(graph: dict[str, list[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (a file may hold thousands of lets)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = graph[node]
            if position < len(successors):
                work.append((node, position + 1))
                successor = successors[position]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
