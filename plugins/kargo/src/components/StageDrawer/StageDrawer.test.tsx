import { screen } from '@testing-library/react';
import { renderWithKargo } from '../__testUtils__/testApis';
import { shopView } from '../__testUtils__/testViews';
import { StageDrawer } from './StageDrawer';

describe('StageDrawer', () => {
  it('shows the stage, its promotions with steps and PR, its freight history and verifications', async () => {
    const view = shopView();
    await renderWithKargo(
      <StageDrawer
        view={view}
        stage={view.stages[3]}
        onClose={jest.fn()}
        onPromote={jest.fn()}
      />,
    );
    expect(screen.getByText('Stage prod')).toBeInTheDocument();
    expect(
      screen.getByText('calm-capybara (2.4.0), daring-dingo (2.3.0)'),
    ).toBeInTheDocument();
    expect(screen.getByText('feedbeef1234')).toBeInTheDocument();
    expect(
      screen.getByText('cart ← integration; checkout ← integration'),
    ).toBeInTheDocument();
    expect(screen.getByText('pull request').closest('a')).toHaveAttribute(
      'href',
      'https://github.com/example/shop-deploy/pull/42',
    );
    expect(
      screen.getByText(
        /clone Succeeded → open-pr Succeeded → wait-for-pr Running/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('verification Successful by kargo controller'),
    ).toBeInTheDocument();
  });

  it('renders nothing when no stage is chosen', async () => {
    await renderWithKargo(
      <StageDrawer
        view={shopView()}
        onClose={jest.fn()}
        onPromote={jest.fn()}
      />,
    );
    expect(screen.queryByText(/^Stage /)).not.toBeInTheDocument();
  });
});
