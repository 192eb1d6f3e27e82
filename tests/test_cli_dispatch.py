from holdem.cli.__main__ import main


def test_help_lists_commands(capsys):
    assert main(["--help"]) == 0
    assert "usage: holdem <command>" in capsys.readouterr().out


def test_unknown_command_named(capsys):
    assert main(["no-such-command"]) == 2
    assert "unknown command 'no-such-command'" in capsys.readouterr().err
