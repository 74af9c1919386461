"""BigText in a real (headless) Textual app: it fills its region, grows with the terminal, repaints only on change."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import Container

from tempo_coach.tui.widgets.big_text import BigText


class Demo(App[None]):
    """A countdown box of 60% × 50% of the screen: 60 × 15 cells at 100 × 30."""

    CSS = """
    #box { width: 60%; height: 50%; }
    """

    def compose(self) -> ComposeResult:
        with Container(id="box"):
            yield BigText("12", id="big")


def painted(widget: BigText) -> list[str]:
    """The widget's content rows as text, blank rows dropped."""
    rows = [widget.render_line(y).text for y in range(widget.size.height)]
    return [row for row in rows if row.strip()]


async def test_it_fills_its_region_and_grows_with_the_terminal() -> None:
    app = Demo()
    async with app.run_test(size=(100, 30)) as pilot:
        big = app.query_one(BigText)
        assert (big.size.width, big.size.height) == (60, 15)
        rows = painted(big)
        assert len(rows) >= 10 and len(rows) == big.rendered.height
        assert all(len(row) == 60 for row in rows)
        assert set("".join(rows)) <= set("█▀▄ ")

        await pilot.resize_terminal(200, 60)
        await pilot.pause()
        assert (big.size.width, big.size.height) == (120, 30)
        assert len(painted(big)) >= 2 * len(rows) - 1


async def test_it_degrades_to_plain_text_in_a_tiny_terminal() -> None:
    app = Demo()
    async with app.run_test(size=(20, 4)):
        big = app.query_one(BigText)
        assert painted(big) == [f"{'12':^12}"]


async def test_same_text_does_not_repaint_new_text_does(monkeypatch) -> None:
    app = Demo()
    async with app.run_test(size=(100, 30)) as pilot:
        big = app.query_one(BigText)
        calls: list[object] = []
        monkeypatch.setattr(big, "refresh", lambda *a, **k: calls.append(a))
        big.show("12")
        assert calls == []
        big.show("11")
        assert len(calls) == 1 and big.text == "11"
        await pilot.pause()
        assert big.rendered.big


async def test_text_is_never_read_as_markup() -> None:
    app = Demo()
    async with app.run_test(size=(100, 30)) as pilot:
        big = app.query_one(BigText)
        big.show("[b]+1[/b]")  # no glyph for +: shown as plain text, brackets and all
        await pilot.pause()
        assert [row.strip() for row in painted(big)] == ["[B]+1[/B]"]
