"""身份类别: the identity category tree that quota rules name (docs/rules.md §3.2).

Each person has exactly one category; categories roll up (基层一线 ⊇ 先进模范人物 ⊇ 工人), so a rule that
names a node matches that node and everything below it. The tree is data, per election (身份界定说明).
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from workflow.common.results import DomainError

# 来源: docs/rules.md §2 seed scenario and §3.2 ("一线 ⊇ 先进模范 ⊇ 工人"; 领导干部 局级/处级).
# 其他 is a root of its own: a person who is neither 基层一线 nor 领导干部 (e.g. 机关一般干部, 离退休党员)
# counts towards no category rule, so a 基层一线 minimum never silently includes them.
DEFAULT_CATEGORIES: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "基层一线": ("先进模范人物", "专业技术人员", "其他一线"),
    "先进模范人物": ("工人", "农民", "其他先进模范"),
    "领导干部": ("局级领导干部", "处级领导干部"),
    "其他": (),
})


class CategoryTree:
    """A forest of named categories built from ``{parent: [children, …]}``.

    A parent with an empty list is a leaf root (``{"其他": []}``). A child may have one parent only and the
    mapping may not contain cycles; both raise :class:`DomainError`.
    """

    def __init__(self, mapping: Mapping[str, Iterable[str]] | None = None):
        mapping = DEFAULT_CATEGORIES if mapping is None else mapping
        if not isinstance(mapping, Mapping):
            raise DomainError("身份类别（categories）应为“上级类别: [下级类别, …]”的对象", "categories.invalid")
        children: dict[str, tuple[str, ...]] = {}
        parent: dict[str, str] = {}
        order: list[str] = []

        def note(name: object) -> str:
            if not isinstance(name, str) or not name.strip():
                raise DomainError(f"身份类别名称应为非空文字，而不是 {name!r}", "categories.invalid")
            if name not in children:
                children[name] = ()
                order.append(name)
            return name

        for head, kids in mapping.items():
            note(head)
            if isinstance(kids, str) or not isinstance(kids, Iterable):
                raise DomainError(f"身份类别“{head}”的下级类别应为列表", "categories.invalid")
            kid_names = tuple(note(k) for k in kids)
            for kid in kid_names:
                if kid in parent and parent[kid] != head:
                    raise DomainError(f"身份类别“{kid}”同时属于“{parent[kid]}”和“{head}”，每个类别只能有一个上级",
                                      "categories.two_parents")
                if kid == head:
                    raise DomainError(f"身份类别“{head}”不能是自己的下级", "categories.cycle")
                parent[kid] = head
            children[head] = tuple(dict.fromkeys(children[head] + kid_names))

        self._children = children
        self._parent = parent
        self._order = tuple(order)
        self._expanded: dict[str, frozenset[str]] = {}
        for name in order:  # detect cycles by walking up from every node
            seen = {name}
            up = parent.get(name)
            while up is not None:
                if up in seen:
                    raise DomainError(f"身份类别“{up}”出现循环包含，请检查上下级关系", "categories.cycle")
                seen.add(up)
                up = parent.get(up)

    def __contains__(self, name: object) -> bool:
        return name in self._children

    def __iter__(self):
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)

    @property
    def nodes(self) -> tuple[str, ...]:
        """Every category in first-mention order."""
        return self._order

    def children(self, node: str) -> tuple[str, ...]:
        self._require(node)
        return self._children[node]

    def parent(self, node: str) -> str | None:
        self._require(node)
        return self._parent.get(node)

    def ancestors(self, node: str) -> tuple[str, ...]:
        """The node's parent, grandparent, … up to its root."""
        self._require(node)
        out = []
        up = self._parent.get(node)
        while up is not None:
            out.append(up)
            up = self._parent.get(up)
        return tuple(out)

    def roots(self) -> tuple[str, ...]:
        return tuple(n for n in self._order if n not in self._parent)

    def leaves(self) -> tuple[str, ...]:
        return tuple(n for n in self._order if not self._children[n])

    def expand(self, node: str) -> frozenset[str]:
        """The node itself and all its descendants."""
        self._require(node)
        hit = self._expanded.get(node)
        if hit is None:
            stack, found = [node], set()
            while stack:
                cur = stack.pop()
                found.add(cur)
                stack.extend(self._children[cur])
            hit = self._expanded[node] = frozenset(found)
        return hit

    def contains(self, node: str, category: str) -> bool:
        """True when ``category`` is ``node`` or lies below it (a category matches itself)."""
        return category in self.expand(node)

    def _require(self, node: str) -> None:
        if node not in self._children:
            known = "、".join(self._order)
            raise DomainError(f"未知的身份类别“{node}”，可用的类别：{known}", "categories.unknown")

    def __repr__(self) -> str:
        return f"CategoryTree({ {k: list(v) for k, v in self._children.items() if v} })"
