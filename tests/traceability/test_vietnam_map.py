"""The offline map: one projection for the committed SVG and for the pins."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from traceability import vietnam_map as vm

SVG = Path(vm.__file__).parent / "static" / "traceability" / "vietnam.svg"


def test_the_frame_corners_project_to_the_picture_corners():
    assert vm.project(vm.NORTH, vm.WEST) == (0.0, 0.0)
    x, y = vm.project(vm.SOUTH, vm.EAST)
    assert (round(x, 1), round(y, 1)) == (vm.WIDTH, vm.HEIGHT)


def test_a_pin_is_placed_in_percent_and_none_outside_the_map():
    hanoi = vm.pin(21.0285, 105.8542)

    # (105.8542 - 101.8) / 15.6 of the width; (23.6 - 21.0285) / 16.4 of the height
    assert (hanoi.left, hanoi.top) == (25.99, 15.68)
    assert hanoi.style == "left:25.99%;top:15.68%"
    assert vm.pin(48.85, 2.35) is None


def test_landmarks_under_a_pin_are_left_out():
    near_hanoi = vm.pin(20.975, 105.913)

    assert "hanoi" not in vm.landmarks(avoid=[near_hanoi])
    assert set(vm.landmarks(avoid=[])) == {"hanoi", "hcmc", "hoang_sa", "truong_sa"}


def test_the_committed_svg_uses_the_same_frame_and_draws_the_archipelagos():
    svg = SVG.read_text()

    assert f'viewBox="0 0 {vm.WIDTH} {vm.HEIGHT}"' in svg
    assert "Natural Earth" in svg
    assert len(re.findall(r"<circle ", svg)) >= 10  # Hoàng Sa and Trường Sa islands
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")


def tiny_topology() -> dict:
    """Vietnam as a triangle, China as a square plus one islet in the Paracels."""

    def arc(points):
        quantised = [(round((lon + 180) * 100), round((lat + 90) * 100)) for lon, lat in points]
        return [quantised[0]] + [
            (b[0] - a[0], b[1] - a[1]) for a, b in zip(quantised, quantised[1:], strict=False)
        ]

    arcs = [
        arc([(105, 21), (108, 21), (106, 11), (105, 21)]),
        arc([(104, 23), (110, 23), (110, 25), (104, 25), (104, 23)]),
        arc([(112.3, 16.8), (112.4, 16.8), (112.4, 16.9), (112.3, 16.8)]),
    ]
    return {
        "type": "Topology",
        "transform": {"scale": [0.01, 0.01], "translate": [-180, -90]},
        "arcs": arcs,
        "objects": {
            "countries": {
                "type": "GeometryCollection",
                "geometries": [
                    {"type": "Polygon", "id": "704", "properties": {"name": "Vietnam"},
                     "arcs": [[0]]},
                    {"type": "MultiPolygon", "id": "156", "properties": {"name": "China"},
                     "arcs": [[[1]], [[2]]]},
                ],
            }
        },
    }  # fmt: skip


def test_the_build_command_draws_vietnam_neighbours_and_islands(tmp_path):
    source, output = tmp_path / "countries.json", tmp_path / "map.svg"
    source.write_text(json.dumps(tiny_topology()))

    call_command("build_vietnam_map", source=str(source), output=str(output))

    svg = output.read_text()
    x, y = vm.project(21, 105)
    assert f"M{x:.1f} {y:.1f}" in svg  # Vietnam's first vertex, projected
    assert svg.count("<circle ") == 1  # the Paracel islet, drawn as Hoàng Sa
    assert 'fill="#efede7"' in svg  # China, as a grey neighbour


def test_the_build_command_refuses_a_file_without_vietnam(tmp_path):
    source = tmp_path / "countries.json"
    source.write_text(json.dumps({"transform": {}, "objects": {}}))

    with pytest.raises(CommandError):
        call_command("build_vietnam_map", source=str(source), output=str(tmp_path / "x.svg"))
